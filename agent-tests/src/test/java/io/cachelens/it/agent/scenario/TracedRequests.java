package io.cachelens.it.agent.scenario;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import redis.clients.jedis.Jedis;

/**
 * A forked service that traces its own requests with the (unshaded) OpenTelemetry API and SDK,
 * without exporting them: CacheLens spans for commands inside a request must join its trace. Prints
 * the request's trace and span ids.
 */
public final class TracedRequests {
  private TracedRequests() {}

  public static void main(String[] args) {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    // The SDK hands out a no-op tracer when nothing would receive its spans: give it a sink.
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new DiscardingExporter()))
            .build();
    OpenTelemetrySdk openTelemetry =
        OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    Tracer tracer = openTelemetry.getTracer("traced-requests");
    try (Jedis jedis = new Jedis(host, port)) {
      Span request = tracer.spanBuilder("GET /product/42").startSpan();
      Scope scope = request.makeCurrent();
      try {
        jedis.get("product:cache:42");
        jedis.set("product:cache:42", "{}");
        jedis.expire("product:cache:42", 60);
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
        jedis.get("product:cache:" + i);
      }
    }
    openTelemetry.close();
    System.out.println("done");
  }

  /** The service's own spans go nowhere: the test only checks that CacheLens spans join them. */
  private static final class DiscardingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
