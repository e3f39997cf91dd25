package io.cachelens.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback OTLP/HTTP endpoint that accepts and discards what it is sent, so that the "every
 * command traced" configuration really builds, batches and encodes its spans instead of handing
 * them to a no-op exporter.
 */
final class SpanSink implements AutoCloseable {
  private final HttpServer server;
  private final AtomicLong requests = new AtomicLong();

  private SpanSink(HttpServer server) {
    this.server = server;
  }

  static SpanSink start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    SpanSink sink = new SpanSink(server);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStreamDiscard.INSTANCE);
          }
          sink.requests.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return sink;
  }

  /**
   * The endpoint for {@code otel.exporter.otlp.endpoint} with the {@code http/protobuf} protocol.
   */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** Where request bodies go. */
  private static final class OutputStreamDiscard extends java.io.OutputStream {
    static final OutputStreamDiscard INSTANCE = new OutputStreamDiscard();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
