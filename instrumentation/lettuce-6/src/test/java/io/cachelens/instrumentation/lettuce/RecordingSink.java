package io.cachelens.instrumentation.lettuce;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.CommandReader;
import io.cachelens.instrumentation.api.CommandSink;
import io.cachelens.instrumentation.api.RedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A {@link CommandSink} that records everything, for assertions. */
public final class RecordingSink implements CommandSink {
  public static final RecordingSink INSTANCE = new RecordingSink();

  private final List<Completed> commands = new CopyOnWriteArrayList<>();
  private final List<RedisConnection> opened = new CopyOnWriteArrayList<>();
  private final List<RedisConnection> closed = new CopyOnWriteArrayList<>();
  private final List<String> awaited = new CopyOnWriteArrayList<>();

  private RecordingSink() {}

  /** What {@link #captureContext()} hands out: remembers the capturing thread. */
  public static final class Captured {
    public final Thread thread = Thread.currentThread();
  }

  /** One completed command, read with the connection's reader when it was reported. */
  public static final class Completed {
    public final RedisConnection connection;
    public final Object command;
    public final Object type;
    public final String name;
    public final List<String> arguments;
    public final int argumentCount;
    public final long startNanos;
    public final long endNanos;
    public final Throwable error;
    public final int flags;
    public final int batchSize;
    public final Object callerContext;
    public final Thread thread = Thread.currentThread();

    Completed(
        RedisConnection connection,
        Object command,
        long startNanos,
        long endNanos,
        Throwable error,
        int flags,
        int batchSize,
        Object callerContext) {
      this.connection = connection;
      this.command = command;
      CommandReader reader = connection.reader();
      this.type = reader.commandType(command);
      this.name = reader.commandName(type);
      this.argumentCount = reader.argumentCount(command);
      List<String> args = new ArrayList<>();
      for (int i = 0; i < argumentCount; i++) {
        byte[] bytes = reader.argument(command, i);
        args.add(bytes == null ? null : new String(bytes, StandardCharsets.UTF_8));
      }
      this.arguments = args;
      this.startNanos = startNanos;
      this.endNanos = endNanos;
      this.error = error;
      this.flags = flags;
      this.batchSize = batchSize;
      this.callerContext = callerContext;
    }

    public boolean has(int flag) {
      return (flags & flag) != 0;
    }

    public Duration duration() {
      return Duration.ofNanos(endNanos - startNanos);
    }

    @Override
    public String toString() {
      return name
          + arguments
          + " flags="
          + flags
          + " batch="
          + batchSize
          + " error="
          + error
          + " on "
          + thread.getName();
    }
  }

  @Override
  public Object captureContext() {
    return new Captured();
  }

  @Override
  public void commandCompleted(
      RedisConnection connection,
      Object command,
      long startNanos,
      long endNanos,
      Throwable error,
      int flags,
      int batchSize,
      Object callerContext,
      Object reply) {
    commands.add(
        new Completed(
            connection, command, startNanos, endNanos, error, flags, batchSize, callerContext));
  }

  @Override
  public void commandAwaited(
      RedisConnection connection, Object command, long startNanos, long nowNanos) {
    CommandReader reader = connection.reader();
    awaited.add(reader.commandName(reader.commandType(command)) + " on " + Thread.currentThread());
  }

  /** One "{@code NAME on thread}" per {@link #commandAwaited} call. */
  public List<String> awaited() {
    return List.copyOf(awaited);
  }

  @Override
  public void connectionOpened(RedisConnection connection) {
    opened.add(connection);
  }

  @Override
  public void connectionClosed(RedisConnection connection) {
    closed.add(connection);
  }

  public void clear() {
    commands.clear();
    opened.clear();
    closed.clear();
    awaited.clear();
  }

  public List<Completed> commands() {
    return List.copyOf(commands);
  }

  public List<Completed> commands(String name) {
    return commands.stream().filter(c -> c.name.equals(name)).collect(Collectors.toList());
  }

  public List<RedisConnection> opened() {
    return List.copyOf(opened);
  }

  public List<RedisConnection> closed() {
    return List.copyOf(closed);
  }

  /** Waits until {@code count} commands matching the predicate were recorded; returns them. */
  public List<Completed> await(Predicate<Completed> filter, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      List<Completed> matching = commands.stream().filter(filter).collect(Collectors.toList());
      if (matching.size() >= count) {
        return matching;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected " + count + " commands, got " + matching.size() + ": " + commands);
      }
      sleep(5);
    }
  }

  public List<Completed> await(int count) {
    return await(c -> true, count);
  }

  /** Waits until the predicate over this sink holds. */
  public void awaitState(String what, Predicate<RecordingSink> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.test(this)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting for "
                + what
                + "; opened="
                + opened
                + " closed="
                + closed
                + " commands="
                + commands);
      }
      sleep(10);
    }
  }

  /** Lets late reports arrive, for asserting that nothing more came. */
  public static void settle() {
    sleep(200);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String flagsOf(int flags) {
    StringBuilder text = new StringBuilder();
    if ((flags & CommandFlags.INTERNAL) != 0) {
      text.append("INTERNAL ");
    }
    if ((flags & CommandFlags.PIPELINED) != 0) {
      text.append("PIPELINED ");
    }
    if ((flags & CommandFlags.TRANSACTION) != 0) {
      text.append("TRANSACTION ");
    }
    if ((flags & CommandFlags.ASYNC) != 0) {
      text.append("ASYNC ");
    }
    return text.toString().trim();
  }
}
