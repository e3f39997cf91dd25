package io.cachelens.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away redis-server on a free loopback port, without persistence. Never uses 6379, so a
 * developer's own server is left alone.
 */
final class LocalRedisServer implements AutoCloseable {

  private static final String HOST = "127.0.0.1";

  private final Process process;
  private final int port;

  private LocalRedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static LocalRedisServer start(String binary, Path workDir, Path log) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      binary,
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      HOST,
                      "--save",
                      "",
                      "--appendonly",
                      "no",
                      "--daemonize",
                      "no"))
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Process process = builder.start();
      LocalRedisServer server = new LocalRedisServer(process, port);
      try {
        server.awaitReady();
        return server;
      } catch (IOException e) {
        // most likely somebody took the port between probing and binding: try another one
        last = e;
        server.close();
      }
    }
    throw new IOException("could not start " + binary + "; see " + log, last);
  }

  int port() {
    return port;
  }

  String host() {
    return HOST;
  }

  /** {@code redis_version} from INFO server. */
  String version() {
    try {
      String info = command("INFO", "server");
      for (String line : info.split("\r\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length());
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with status " + process.exitValue());
      }
      try {
        if (command("PING").equals("PONG")) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for redis-server", e);
      }
    }
    throw new IOException("redis-server did not answer PING on port " + port, last);
  }

  /**
   * Sends one command and returns a simple-string, integer or bulk reply as text. Enough for PING,
   * INFO and SHUTDOWN; not a general client.
   */
  String command(String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1_000);
      socket.setSoTimeout(5_000);
      StringBuilder request = new StringBuilder().append('*').append(args.length).append("\r\n");
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String header = readLine(in);
      if (header == null) {
        throw new IOException("connection closed without a reply");
      }
      switch (header.charAt(0)) {
        case '+':
        case ':':
          return header.substring(1);
        case '-':
          throw new IOException("redis error: " + header.substring(1));
        case '$':
          int length = Integer.parseInt(header.substring(1));
          if (length < 0) {
            return "";
          }
          byte[] body = in.readNBytes(length + 2);
          return new String(body, 0, length, StandardCharsets.UTF_8);
        default:
          throw new IOException("unexpected reply: " + header);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    for (int b = in.read(); b != -1; b = in.read()) {
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(b);
      previous = b;
    }
    return null;
  }

  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        int port = socket.getLocalPort();
        if (port != 6379) {
          return port;
        }
      }
    }
    throw new IOException("no free loopback port");
  }

  @Override
  public void close() {
    stop();
  }

  /** Asks the server to exit without saving; kills it if it does not. Idempotent. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    try {
      command("SHUTDOWN", "NOSAVE");
    } catch (IOException e) {
      // expected: the server closes the connection instead of replying
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
