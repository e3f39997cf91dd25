package io.cachelens.testing.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A tiny blocking RESP2 client over a plain socket, for tests that inspect server state directly.
 *
 * <p>It connects lazily and reconnects after any I/O failure (for example a read timeout while the
 * server is paused), so one instance stays usable across such events. Calls are serialized; the
 * client is safe to share between threads but does not pipeline.
 */
public final class RespClient implements AutoCloseable {

  /** Timeout used for connecting and reading when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final String host;
  private final int port;
  private final Duration timeout;
  private final String password;

  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private boolean closed;

  /**
   * Creates a client for {@code host:port} with the given connect/read timeout and optional
   * password (sent with {@code AUTH} right after each connect when not null).
   */
  public RespClient(String host, int port, Duration timeout, String password) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.password = password;
  }

  /** Creates a client for {@code host:port} with {@link #DEFAULT_TIMEOUT} and no password. */
  public RespClient(String host, int port) {
    this(host, port, DEFAULT_TIMEOUT, null);
  }

  /** The host this client talks to. */
  public String host() {
    return host;
  }

  /** The port this client talks to. */
  public int port() {
    return port;
  }

  /**
   * Sends one command and returns its reply as text.
   *
   * <p>Simple strings and bulk strings come back as they are, integers in decimal, a nil reply as
   * {@code null}, and arrays as their elements rendered the same way and joined with {@code '\n'}
   * (nested arrays are flattened; nil elements render as an empty line). Use {@link #call} for the
   * structured reply.
   *
   * @throws RespException when the server answers with an error reply ({@code -ERR ...})
   * @throws UncheckedIOException on connection failures and timeouts
   */
  public String command(String... args) {
    return render(call(args));
  }

  /**
   * Sends one command and returns the structured reply: {@link String} for simple and bulk strings,
   * {@link Long} for integers, {@code null} for nil, and an unmodifiable {@link List} of these for
   * arrays.
   *
   * @throws RespException when the server answers with an error reply
   * @throws UncheckedIOException on connection failures and timeouts
   */
  public synchronized Object call(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("a command needs at least a name");
    }
    if (closed) {
      throw new IllegalStateException("RespClient for " + host + ":" + port + " is closed");
    }
    try {
      ensureConnected();
      write(args);
      Object reply = read();
      if (reply instanceof RespException error) {
        throw new RespException(error.getMessage());
      }
      return reply;
    } catch (IOException e) {
      disconnect();
      throw new UncheckedIOException(
          "Redis command " + args[0] + " to " + host + ":" + port + " failed: " + e, e);
    }
  }

  /**
   * Sends a command the server answers by closing the connection (such as {@code SHUTDOWN} or
   * {@code QUIT}); an end of stream counts as success, an error reply still throws.
   */
  public synchronized void callExpectingDisconnect(String... args) {
    try {
      call(args);
    } catch (UncheckedIOException e) {
      if (!(e.getCause() instanceof EOFException)) {
        throw e;
      }
    } finally {
      disconnect();
    }
  }

  /** Runs {@code CONFIG GET parameter} and returns the value, or null when there is none. */
  public String configGet(String parameter) {
    Object reply = call("CONFIG", "GET", parameter);
    if (reply instanceof List<?> list && list.size() >= 2) {
      return render(list.get(1));
    }
    return null;
  }

  /** Returns true when {@code PING} gets an answer within the timeout. */
  public boolean ping() {
    try {
      return "PONG".equals(command("PING"));
    } catch (UncheckedIOException | RespException e) {
      return false;
    }
  }

  /** Closes the connection; later calls fail. */
  @Override
  public synchronized void close() {
    closed = true;
    disconnect();
  }

  @Override
  public String toString() {
    return "RespClient[" + host + ":" + port + "]";
  }

  private void ensureConnected() throws IOException {
    if (socket != null) {
      return;
    }
    Socket s = new Socket();
    try {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      s.connect(new InetSocketAddress(host, port), millis);
      s.setSoTimeout(millis);
      s.setTcpNoDelay(true);
      socket = s;
      in = new BufferedInputStream(s.getInputStream());
      out = new BufferedOutputStream(s.getOutputStream());
    } catch (IOException e) {
      s.close();
      throw e;
    }
    if (password != null) {
      write(new String[] {"AUTH", password});
      Object reply = read();
      if (reply instanceof RespException error) {
        disconnect();
        throw new RespException(error.getMessage());
      }
    }
  }

  private void disconnect() {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing useful to do
      }
    }
  }

  private void write(String[] args) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    writeAscii(buffer, "*" + args.length + "\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      writeAscii(buffer, "$" + bytes.length + "\r\n");
      buffer.write(bytes);
      writeAscii(buffer, "\r\n");
    }
    buffer.writeTo(out);
    out.flush();
  }

  private static void writeAscii(ByteArrayOutputStream buffer, String text) {
    buffer.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** Reads one reply; error replies are returned (not thrown) so nested errors parse fully. */
  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new RespException(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] data = in.readNBytes(length);
          if (data.length < length) {
            throw new EOFException("connection closed inside a bulk string");
          }
          readLine();
          return new String(data, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          if (count < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            Object item = read();
            items.add(item instanceof RespException e ? "ERR " + e.getMessage() : item);
          }
          return Collections.unmodifiableList(items);
        }
      default:
        throw new IOException(
            "unexpected RESP type byte '" + (char) type + "' followed by " + line);
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a reply");
      }
      if (b == '\r') {
        int next = in.read();
        if (next == '\n') {
          return line.toString(StandardCharsets.UTF_8);
        }
        line.write(b);
        if (next < 0) {
          throw new EOFException("connection closed inside a reply");
        }
        line.write(next);
      } else {
        line.write(b);
      }
    }
  }

  private static String render(Object reply) {
    if (reply == null) {
      return null;
    }
    if (reply instanceof List<?> list) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          text.append('\n');
        }
        String item = render(list.get(i));
        text.append(item == null ? "" : item);
      }
      return text.toString();
    }
    return reply.toString();
  }
}
