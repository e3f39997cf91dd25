package io.cachelens.it.lettuce.scenario;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;

/**
 * A forked service that traces its own request with the (unshaded) OpenTelemetry API and SDK and
 * sends one command through each Lettuce API inside it: sync GET, async SET (completed on the event
 * loop), reactive EXPIRE (dispatched on subscribe). CacheLens spans must join the request's trace
 * although Lettuce completes them on its own threads. Prints the request's ids.
 */
public final class LettuceTracedRequests {
  private LettuceTracedRequests() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    // Without a span processor, SDK 1.67 hands out non-recording spans with invalid ids.
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite()))
            .build();
    OpenTelemetrySdk openTelemetry =
        OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    Tracer tracer = openTelemetry.getTracer("lettuce-traced-requests");
    RedisClient client = RedisClient.create(RedisURI.create(host, port));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      // Warm-up outside any request (no span at the default settings).
      connection.sync().ping();
      Span request = tracer.spanBuilder("GET /product/42").startSpan();
      Scope scope = request.makeCurrent();
      try {
        connection.sync().get("product:cache:42");
        connection.async().set("product:cache:42", "{}").get(10, TimeUnit.SECONDS);
        connection.reactive().expire("product:cache:42", 60).block();
      } finally {
        scope.close();
        request.end();
      }
      System.out.println(
          "request trace="
              + request.getSpanContext().getTraceId()
              + " span="
              + request.getSpanContext().getSpanId());
      // Fast commands outside any request: counted, but no spans at the default settings.
      for (int i = 0; i < 20; i++) {
        connection.sync().get("product:cache:" + i);
      }
    } finally {
      client.shutdown();
    }
    openTelemetry.close();
    System.out.println("done");
  }
}
