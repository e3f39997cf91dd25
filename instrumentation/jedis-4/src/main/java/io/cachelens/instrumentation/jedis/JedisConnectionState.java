package io.cachelens.instrumentation.jedis;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.CommandSink;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * What the instrumentation keeps per Jedis {@code Connection}, in the one field it adds there: the
 * connection as reported to the sink, the handshake and pipeline marks, and the commands written
 * but not yet answered.
 *
 * <p>The advice inlined into Jedis only works out what needs Jedis's own types (which command was
 * written, whether a failure is an error reply) and hands off here. Small advice keeps the
 * transformation of {@code Connection} cheap at start-up, and this class is compiled and optimized
 * once rather than inlined into every instrumented method. It is loaded from the agent jar on the
 * bootstrap class path and never references a Jedis type.
 *
 * <p>The commands awaiting replies are a ring of four parallel arrays (command, start time, flags,
 * deferred error) indexed by {@code head} and {@code count}. A reply completes the oldest entry;
 * inside MULTI the "QUEUED" replies only mark entries as deferred until EXEC or DISCARD answers.
 *
 * <p>Threading: a Jedis connection is used by one thread at a time, except in pub/sub, where one
 * thread reads messages while others write (UNSUBSCRIBE, PING). Every access to the ring holds this
 * object's monitor; the other fields are written only by the thread that connects, handshakes or
 * disconnects, as before the instrumentation's fields lived on the connection itself.
 */
public final class JedisConnectionState {
  /** The name of the field added to {@code redis.clients.jedis.Connection} that holds its state. */
  public static final String FIELD = "cachelens$state";

  /** A command with no meaning for the ring's bookkeeping. */
  public static final int PLAIN = 0;

  /** MULTI: opens a transaction. */
  public static final int MULTI = 1;

  /** EXEC or DISCARD: ends a transaction. */
  public static final int TRANSACTION_END = 2;

  /** SELECT: changes the connection's database once it succeeds. */
  public static final int SELECT = 3;

  // Private ring flags, above the CommandFlags bits reported to the sink.
  private static final int PUBLIC_FLAGS = 0xFFFF;
  private static final int ENDS_TRANSACTION = 1 << 16;
  private static final int IS_MULTI = 1 << 17;
  private static final int IS_SELECT = 1 << 18;

  /** Ring capacity when a connection writes its first command; a power of two. */
  private static final int INITIAL_CAPACITY = 8;

  /** A ring grown past this capacity (a large pipeline) is dropped once it drains. */
  private static final int MAX_RETAINED_CAPACITY = 1024;

  /**
   * The opened connection, a never-opened one that only names a failed command's target, or null.
   */
  private RedisConnection connection;

  /** The socket whose connection was announced with {@code connectionOpened}, or null. */
  private Socket announcedSocket;

  /** Depth of {@code initializeFromClientConfig}: above zero while the handshake runs. */
  private int handshakeDepth;

  /** The database index of the client config seen by the running handshake. */
  private int handshakeDatabase;

  /** The number of replies the running {@code getMany} reads (a pipeline flush), or 0. */
  private int batch;

  /** Between a MULTI written and its EXEC or DISCARD. */
  private boolean inTransaction;

  private int head;
  private int count;

  /** How many of the oldest entries are transaction commands whose QUEUED reply was read. */
  private int deferred;

  private Object[] commands;
  private Object[] errors;
  private long[] starts;
  private int[] flags;

  /** A connection's state before its first handshake or connect. */
  public JedisConnectionState() {}

  /** The connection as reported to the sink, or null before the first connect. */
  public RedisConnection connection() {
    return connection;
  }

  /**
   * {@code initializeFromClientConfig} started: commands written until it ends are the client's.
   *
   * @param database the config's database index, or -1 when there is no config
   */
  public void handshakeStarted(int database) {
    handshakeDepth++;
    if (database >= 0) {
      handshakeDatabase = database;
    }
  }

  /** {@code initializeFromClientConfig} ended, however. */
  public void handshakeEnded() {
    handshakeDepth = handshakeDepth > 1 ? handshakeDepth - 1 : 0;
    RedisConnection current = connection;
    if (handshakeDepth == 0 && current != null) {
      current.handshaking(false);
    }
  }

  /**
   * Whether a {@code connect()} that returned (or threw) leaves nothing to report: it kept the
   * announced socket, or it failed where a connection is already known. This is the common case:
   * Jedis calls {@code connect()} before every write.
   */
  public boolean connectChangedNothing(Socket socket, Throwable thrown) {
    if (thrown == null) {
      return socket == null || socket == announcedSocket;
    }
    return connection != null;
  }

  /**
   * {@code connect()} left a new socket behind (the connection opened, and the one it replaces, if
   * announced, closed), or failed on a connection never opened (an unannounced connection is kept
   * so that the command that needed it can be reported with its failure).
   *
   * @param host the host the service configured, or null when the socket factory does not say
   * @param port the port the service configured, with {@code host}
   */
  public void connected(Socket socket, Throwable thrown, String host, int port) {
    boolean opened = thrown == null && socket != null && socket != announcedSocket;
    InetSocketAddress peer = null;
    InetSocketAddress local = null;
    if (opened) {
      SocketAddress remoteAddress = socket.getRemoteSocketAddress();
      if (remoteAddress instanceof InetSocketAddress) {
        peer = (InetSocketAddress) remoteAddress;
      }
      SocketAddress localAddress = socket.getLocalSocketAddress();
      if (localAddress instanceof InetSocketAddress) {
        local = (InetSocketAddress) localAddress;
      }
    }
    if (host == null) {
      if (peer != null) {
        host = peer.getHostString();
        port = peer.getPort();
      } else {
        host = "unknown";
        port = 0;
      }
    }
    RedisConnection opening =
        new RedisConnection(
            JedisCommandReader.INSTANCE,
            JedisInstrumentation.CLIENT,
            host,
            port,
            peer,
            local,
            handshakeDepth > 0 ? handshakeDatabase : 0);
    if (!opened) {
      // Never announced, never closed: it only carries the failed command's target.
      connection = opening;
      return;
    }
    RedisConnection previous = connection;
    boolean previousAnnounced = announcedSocket != null;
    synchronized (this) {
      // Replies to commands written on the old socket will never come.
      clearRing();
    }
    opening.handshaking(handshakeDepth > 0);
    connection = opening;
    announcedSocket = socket;
    CommandSink sink = RedisEvents.sink();
    if (previousAnnounced && previous != null) {
      sink.connectionClosed(previous);
    }
    sink.connectionOpened(opening);
  }

  /**
   * {@code sendCommand} returned: the command joins the ring with its start time, and its reply
   * will complete it. A write that failed completes at once with the failure. No allocation once
   * the ring has room: the entry is four array stores.
   *
   * @param kind {@link #PLAIN}, {@link #MULTI}, {@link #TRANSACTION_END} or {@link #SELECT}
   */
  public void written(Object command, int kind, long startNanos, Throwable thrown) {
    int entryFlags = handshakeDepth > 0 || RedisEvents.internal() ? CommandFlags.INTERNAL : 0;
    if (thrown != null) {
      RedisConnection current = connection;
      if (current != null) {
        RedisEvents.sink()
            .commandCompleted(
                current, command, startNanos, System.nanoTime(), thrown, entryFlags, 0, null, null);
      }
      return;
    }
    synchronized (this) {
      if (kind == MULTI) {
        inTransaction = true;
        entryFlags |= CommandFlags.TRANSACTION | IS_MULTI;
      } else if (inTransaction) {
        entryFlags |= CommandFlags.TRANSACTION;
        if (kind == TRANSACTION_END) {
          inTransaction = false;
          entryFlags |= ENDS_TRANSACTION;
        }
      }
      if (kind == SELECT) {
        entryFlags |= IS_SELECT;
      }
      if (commands == null) {
        commands = new Object[INITIAL_CAPACITY];
        errors = new Object[INITIAL_CAPACITY];
        starts = new long[INITIAL_CAPACITY];
        flags = new int[INITIAL_CAPACITY];
        head = 0;
        count = 0;
        deferred = 0;
      } else if (count >= commands.length) {
        grow();
      }
      int index = (head + count) & (commands.length - 1);
      commands[index] = command;
      errors[index] = null;
      starts[index] = startNanos;
      flags[index] = entryFlags;
      count++;
    }
  }

  /** Doubles the full ring, its oldest entry moving to index 0. */
  private void grow() {
    int capacity = commands.length;
    int mask = capacity - 1;
    Object[] grownCommands = new Object[capacity << 1];
    Object[] grownErrors = new Object[capacity << 1];
    long[] grownStarts = new long[capacity << 1];
    int[] grownFlags = new int[capacity << 1];
    for (int i = 0; i < capacity; i++) {
      int from = (head + i) & mask;
      grownCommands[i] = commands[from];
      grownErrors[i] = errors[from];
      grownStarts[i] = starts[from];
      grownFlags[i] = flags[from];
    }
    commands = grownCommands;
    errors = grownErrors;
    starts = grownStarts;
    flags = grownFlags;
    head = 0;
    count = capacity;
  }

  /**
   * {@code readProtocolWithCheckingBroken()} returned or threw: the reply completes the oldest
   * command of the ring.
   *
   * <ul>
   *   <li>an error reply completes it with that error;
   *   <li>any other failure (a broken connection, a timeout) completes every command still waiting,
   *       since none of their replies will come;
   *   <li>inside MULTI, the OK and QUEUED replies only defer their commands; the reply of EXEC (or
   *       DISCARD) completes them all, each with its own error from the EXEC reply, the queueing
   *       error, or the error EXEC itself failed with;
   *   <li>a reply read while {@code getMany} reads a pipeline's replies is flagged PIPELINED with
   *       the pipeline's size.
   * </ul>
   *
   * A successful SELECT updates the connection's database. Replies with no command waiting (pub/sub
   * messages, MONITOR output) are ignored.
   *
   * @param errorReply whether {@code thrown} is an error reply from the server ({@code
   *     JedisDataException}), which leaves the connection usable
   */
  public void replied(Object reply, Throwable thrown, boolean errorReply) {
    if (count == 0) {
      return;
    }
    long end = System.nanoTime();
    synchronized (this) {
      if (count <= 0 || commands == null) {
        return;
      }
      int mask = commands.length - 1;
      boolean failAll = thrown != null && !errorReply;
      boolean txEnd = false;
      int completed;
      if (failAll) {
        completed = count;
      } else {
        if (deferred >= count) {
          deferred = 0;
        }
        int index = (head + deferred) & mask;
        int entryFlags = flags[index];
        if ((entryFlags & ENDS_TRANSACTION) != 0) {
          txEnd = true;
        } else if ((entryFlags & CommandFlags.TRANSACTION) != 0) {
          // MULTI's OK or a QUEUED reply: the command completes with EXEC.
          errors[index] = thrown;
          deferred++;
          return;
        }
        completed = deferred + 1;
      }
      int transactionSize = completed > 1 || txEnd ? transactionSize(completed, mask) : 0;
      List<?> results = txEnd && thrown == null && reply instanceof List ? (List<?>) reply : null;
      RedisConnection current = connection;
      CommandSink sink = RedisEvents.sink();
      int result = 0;
      for (int i = 0; i < completed; i++) {
        int slot = (head + i) & mask;
        Object command = commands[slot];
        Object queueError = errors[slot];
        long start = starts[slot];
        int entryFlags = flags[slot];
        commands[slot] = null;
        errors[slot] = null;
        // Whatever goes wrong with one entry, the ring below must still advance past all of them,
        // or every later reply on this connection would pair with the wrong command.
        try {
          Throwable error;
          boolean executed;
          Object ownReply = null;
          if (failAll || i == completed - 1) {
            error = thrown;
            executed = thrown == null && !txEnd;
            ownReply = executed ? reply : null;
          } else {
            error = queueError instanceof Throwable ? (Throwable) queueError : null;
            executed = false;
            if (txEnd && (entryFlags & IS_MULTI) == 0) {
              if (error == null && thrown != null) {
                error = thrown;
              }
              if (results != null && result < results.size()) {
                Object element = results.get(result);
                if (error == null && element instanceof Throwable) {
                  error = (Throwable) element;
                }
                ownReply = element;
                executed = error == null;
              }
              result++;
            }
          }
          int reported = entryFlags & PUBLIC_FLAGS;
          int batchSize = 0;
          if ((entryFlags & CommandFlags.TRANSACTION) != 0) {
            batchSize = transactionSize;
          } else if (batch > 0) {
            reported |= CommandFlags.PIPELINED;
            batchSize = batch;
          }
          if (current != null) {
            if (executed && (entryFlags & IS_SELECT) != 0) {
              selected(current, command);
            }
            sink.commandCompleted(
                current, command, start, end, error, reported, batchSize, null, ownReply);
          }
        } catch (Throwable ignored) {
          // reported nowhere: this entry is lost, the ones after it stay in step
        }
      }
      count -= completed;
      head = count == 0 ? 0 : (head + completed) & mask;
      deferred = 0;
      if (failAll) {
        inTransaction = false;
      }
      if (count == 0 && commands.length > MAX_RETAINED_CAPACITY) {
        commands = null;
        errors = null;
        starts = null;
        flags = null;
      }
    }
  }

  /** Of the oldest {@code completed} entries, the transaction's own: not MULTI, EXEC or DISCARD. */
  private int transactionSize(int completed, int mask) {
    int size = 0;
    for (int i = 0; i < completed; i++) {
      int entryFlags = flags[(head + i) & mask];
      if ((entryFlags & (CommandFlags.TRANSACTION | ENDS_TRANSACTION | IS_MULTI))
          == CommandFlags.TRANSACTION) {
        size++;
      }
    }
    return size;
  }

  /** A SELECT succeeded: the connection's database is its one argument, if that is an index. */
  private static void selected(RedisConnection current, Object command) {
    JedisCommandReader reader = JedisCommandReader.INSTANCE;
    if (reader.argumentCount(command) != 1) {
      return;
    }
    byte[] raw = reader.argument(command, 0);
    if (raw == null || raw.length == 0 || raw.length >= 10) {
      return;
    }
    int database = 0;
    for (byte b : raw) {
      int digit = b - '0';
      if (digit < 0 || digit > 9) {
        return;
      }
      database = database * 10 + digit;
    }
    current.database(database);
  }

  /**
   * {@code flush()} failed: the buffered commands never reached the server (or the connection was
   * already broken), so every command awaiting a reply completes with that failure, as when a reply
   * cannot be read.
   */
  public void flushFailed(Throwable thrown) {
    replied(null, thrown, false);
  }

  /**
   * {@code getMany(int)} started reading a pipeline's (or a transaction's) replies together: the
   * replies read meanwhile complete commands flagged PIPELINED with that batch size. The
   * handshake's fire-and-forget batch stays a plain INTERNAL one.
   *
   * @return whether this call marked the batch, and so must {@link #batchEnded} it
   */
  public boolean batchStarted(int replies) {
    if (handshakeDepth == 0 && replies > 0 && batch == 0) {
      batch = replies;
      return true;
    }
    return false;
  }

  /** The {@code getMany} that {@link #batchStarted} marked returned. */
  public void batchEnded() {
    batch = 0;
  }

  /**
   * {@code executeCommand(CommandObject)} started: a command that writes and reads at once never
   * starts while replies of earlier commands are still owed, so commands written but never read
   * (misused pub/sub, a raw {@code sendCommand} without a read) are stale. They are dropped so that
   * the ring cannot pair this command with an older reply.
   */
  public void executing() {
    if (count <= deferred) {
      return;
    }
    synchronized (this) {
      if (commands == null) {
        count = 0;
        head = 0;
        return;
      }
      int mask = commands.length - 1;
      for (int i = deferred; i < count; i++) {
        int slot = (head + i) & mask;
        commands[slot] = null;
        errors[slot] = null;
      }
      count = deferred;
      if (count == 0) {
        head = 0;
      }
    }
  }

  /**
   * {@code disconnect()} or {@code forceDisconnect()} returned: the connection closed, reported
   * once however often either runs. Commands still awaiting a reply are dropped: their replies will
   * never be read.
   */
  public void disconnected() {
    if (count != 0) {
      synchronized (this) {
        clearRing();
      }
    }
    RedisConnection closed = connection;
    if (closed == null) {
      return;
    }
    boolean wasAnnounced = announcedSocket != null;
    connection = null;
    announcedSocket = null;
    if (wasAnnounced) {
      RedisEvents.sink().connectionClosed(closed);
    }
  }

  private void clearRing() {
    if (commands != null) {
      Arrays.fill(commands, null);
      Arrays.fill(errors, null);
    }
    head = 0;
    count = 0;
    deferred = 0;
    inTransaction = false;
  }
}
