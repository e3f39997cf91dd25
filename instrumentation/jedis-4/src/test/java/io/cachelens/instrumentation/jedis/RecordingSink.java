package io.cachelens.instrumentation.jedis;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.CommandReader;
import io.cachelens.instrumentation.api.CommandSink;
import io.cachelens.instrumentation.api.RedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Remembers every event, reading each command with the connection's reader as it completes. */
final class RecordingSink implements CommandSink {
  private final List<Recorded> commands = new ArrayList<>();
  private final List<RedisConnection> opened = new ArrayList<>();
  private final List<RedisConnection> closed = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  /** One completed command as the sink saw it. */
  record Recorded(
      RedisConnection connection,
      Object command,
      String name,
      List<String> arguments,
      long startNanos,
      long endNanos,
      Throwable error,
      int flags,
      int batchSize,
      int database,
      boolean handshaking,
      String thread) {

    boolean internal() {
      return (flags & CommandFlags.INTERNAL) != 0;
    }

    boolean pipelined() {
      return (flags & CommandFlags.PIPELINED) != 0;
    }

    boolean transaction() {
      return (flags & CommandFlags.TRANSACTION) != 0;
    }

    /** Name and arguments, e.g. {@code "SET k v"}. */
    String text() {
      return arguments.isEmpty() ? name : name + " " + String.join(" ", arguments);
    }

    @Override
    public String toString() {
      return text()
          + " flags="
          + flags
          + " batch="
          + batchSize
          + (error == null ? "" : " error=" + error)
          + " port="
          + connection.serverPort();
    }
  }

  @Override
  public Object captureContext() {
    return null;
  }

  @Override
  public synchronized void commandCompleted(
      RedisConnection connection,
      Object command,
      long startNanos,
      long endNanos,
      Throwable error,
      int flags,
      int batchSize,
      Object callerContext,
      Object reply) {
    if (connection == null || command == null) {
      problems.add("null connection or command: " + connection + " " + command);
      return;
    }
    CommandReader reader = connection.reader();
    String name = reader.commandName(reader.commandType(command));
    int count = reader.argumentCount(command);
    List<String> arguments = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] raw = reader.argument(command, i);
      arguments.add(raw == null ? "<null>" : new String(raw, StandardCharsets.UTF_8));
    }
    commands.add(
        new Recorded(
            connection,
            command,
            name,
            List.copyOf(arguments),
            startNanos,
            endNanos,
            error,
            flags,
            batchSize,
            connection.database(),
            connection.handshaking(),
            Thread.currentThread().getName()));
  }

  @Override
  public synchronized void connectionOpened(RedisConnection connection) {
    opened.add(connection);
  }

  @Override
  public synchronized void connectionClosed(RedisConnection connection) {
    if (closed.stream().anyMatch(c -> c == connection)) {
      problems.add("closed twice: " + connection);
    }
    if (opened.stream().noneMatch(c -> c == connection)) {
      problems.add("closed but never opened: " + connection);
    }
    closed.add(connection);
  }

  synchronized List<Recorded> commands(int port) {
    return commands.stream()
        .filter(c -> c.connection().serverPort() == port)
        .collect(Collectors.toList());
  }

  /** Commands the service sent (not INTERNAL) to that port. */
  synchronized List<Recorded> serviceCommands(int port) {
    return commands(port).stream().filter(c -> !c.internal()).collect(Collectors.toList());
  }

  synchronized List<Recorded> commands(int port, Predicate<Recorded> filter) {
    return commands(port).stream().filter(filter).collect(Collectors.toList());
  }

  synchronized List<RedisConnection> opened(int port) {
    return opened.stream().filter(c -> c.serverPort() == port).collect(Collectors.toList());
  }

  synchronized List<RedisConnection> closed(int port) {
    return closed.stream().filter(c -> c.serverPort() == port).collect(Collectors.toList());
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** Forgets the commands so far but keeps the connections, for a test that prepares data first. */
  synchronized void clearCommands() {
    commands.clear();
  }

  synchronized void clear() {
    commands.clear();
    opened.clear();
    closed.clear();
    problems.clear();
  }
}
