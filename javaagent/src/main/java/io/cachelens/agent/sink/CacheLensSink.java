package io.cachelens.agent.sink;

import io.cachelens.agent.audit.AuditCollector;
import io.cachelens.agent.callsite.CallSites;
import io.cachelens.agent.config.AgentConfig;
import io.cachelens.agent.config.KeyCapture;
import io.cachelens.agent.config.RootSpans;
import io.cachelens.agent.telemetry.ApplicationTraceContext;
import io.cachelens.agent.telemetry.CommandSpans;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.command.CommandInfo;
import io.cachelens.analysis.command.TtlOutcome;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.query.KeyRendering;
import io.cachelens.analysis.query.QueryText;
import io.cachelens.analysis.stats.CommandStats;
import io.cachelens.analysis.stats.CommandStatsTable;
import io.cachelens.analysis.ttl.TtlSemantics;
import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.CommandReader;
import io.cachelens.instrumentation.api.CommandSink;
import io.cachelens.instrumentation.api.RedisConnection;
import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's {@link CommandSink}: classifies each command, infers its key prefix, records it into
 * the aggregation table and, only for commands that are traced, slow or failed, builds a span.
 *
 * <p>Runs on application and client I/O threads. The common path is cache lookups, one prefix scan
 * of the key and a few atomic increments: no locks, no allocation once a command type, prefix and
 * cell have been seen.
 */
public final class CacheLensSink implements CommandSink {
  /** The prefix id recorded for commands that carry no key: the largest id a cell key holds. */
  public static final int NO_KEY_PREFIX_ID = (1 << 20) - 1;

  private final CommandCatalog catalog;
  private final KeyPrefixInferrer prefixes;
  private final CommandStatsTable table;
  private final Targets targets;
  private final CommandSpans spans;
  private final ApplicationTraceContext traceContext;
  private final RootSpans rootSpans;
  private final long slowNanos;
  private final KeyRendering keyRendering;
  private final AuditCollector audit;
  private final ConcurrentMap<Object, CommandInfo> commandsByType = new ConcurrentHashMap<>();

  private final LongAdder connectionsOpened = new LongAdder();
  private final LongAdder connectionsClosed = new LongAdder();
  private final LongAdder failures = new LongAdder();

  public CacheLensSink(
      AgentConfig config,
      CommandCatalog catalog,
      KeyPrefixInferrer prefixes,
      CommandStatsTable table,
      Targets targets,
      CommandSpans spans,
      ApplicationTraceContext traceContext,
      AuditCollector audit) {
    this.audit = audit;
    this.catalog = catalog;
    this.prefixes = prefixes;
    this.table = table;
    this.targets = targets;
    this.spans = spans;
    this.traceContext = traceContext;
    this.rootSpans = config.rootSpans();
    this.slowNanos = config.slowThreshold().toNanos();
    this.keyRendering =
        config.keyCapture() == KeyCapture.FULL
            ? KeyRendering.full()
            : KeyRendering.prefixOnly(prefixes);
  }

  /**
   * The dispatching thread's run of sequential commands (for round-trip storms) and, when spans are
   * on and a sampled trace is active there, its span context: allocates only in the traced case.
   */
  @Override
  public Object captureContext() {
    return captureContext(null, null);
  }

  /**
   * As {@link #captureContext()}, plus the caller's code location for a command the audit may name
   * by it and whose completion will run where that stack is gone: a dangerous command, or a write
   * that sets no TTL (sampled within the capture budget).
   */
  @Override
  public Object captureContext(RedisConnection connection, Object command) {
    try {
      Object callerRun = audit.callerRun();
      String site = command != null ? dispatchSite(connection, command) : null;
      SpanContext span = spans.enabled() ? traceContext.current() : null;
      return span == null && site == null ? callerRun : new CallerContext(span, callerRun, site);
    } catch (Throwable t) {
      failures.increment();
      return null;
    }
  }

  private String dispatchSite(RedisConnection connection, Object command) {
    if (connection.handshaking()) {
      return null;
    }
    ConnectionState state = ConnectionState.of(connection, targets);
    CommandInfo info = commandInfo(state.reader(), command);
    if (info.dangerous()) {
      return audit.dangerousSiteHere(System.nanoTime());
    }
    if (info.isWrite()
        && !info.handshake()
        && audit.writeSiteAvailable(System.nanoTime())
        && catalog.ttlOutcome(info, state, command) == TtlOutcome.NONE) {
      // Only now the key: reading it may copy it (Lettuce's String codec).
      int prefixId = KeyPrefixInferrer.OTHER;
      if (info.firstKeyIndex() >= 0) {
        byte[] key = state.reader().argument(command, info.firstKeyIndex());
        prefixId = key != null ? prefixes.prefixId(key) : KeyPrefixInferrer.OTHER;
      }
      if (audit.writeSiteWanted(prefixId, System.nanoTime())) {
        return audit.siteHere();
      }
    }
    return null;
  }

  /** What {@link #captureContext} returns for a command sent inside a trace or worth a site. */
  private record CallerContext(SpanContext span, Object callerRun, String site) {}

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
    try {
      record(
          connection, command, startNanos, endNanos, error, flags, batchSize, callerContext, reply);
    } catch (Throwable t) {
      failures.increment();
    }
  }

  private void record(
      RedisConnection connection,
      Object command,
      long startNanos,
      long endNanos,
      Throwable error,
      int flags,
      int batchSize,
      Object callerContext,
      Object reply) {
    ConnectionState state = ConnectionState.of(connection, targets);
    CommandReader reader = state.reader();
    CommandInfo info = commandInfo(reader, command);
    if ((flags & CommandFlags.INTERNAL) != 0 || connection.handshaking() || info.handshake()) {
      table.cell(state.target().id(), info.id(), NO_KEY_PREFIX_ID).recordInternal();
      return;
    }
    boolean firstOnConnection = state.countCommand() == 1;
    int prefixId = NO_KEY_PREFIX_ID;
    int keyIndex = info.firstKeyIndex();
    byte[] key = null;
    if (keyIndex >= 0) {
      key = reader.argument(command, keyIndex);
      prefixId = key != null ? prefixes.prefixId(key) : KeyPrefixInferrer.OTHER;
    }
    TtlOutcome ttl =
        info.isWrite() ? catalog.ttlOutcome(info, state, command) : TtlOutcome.NOT_A_WRITE;
    int ttlSetLater = 0;
    long bytesWritten = 0;
    if (error != null && info.isWrite()) {
      if (refusedByServer(error)) {
        // An error reply (WRONGTYPE, not an integer, OOM): it changed nothing, so it is a write
        // with no TTL outcome either way, like a conditional write that wrote nothing. A timeout
        // or a dropped connection may have been applied: it counts as sent.
        ttl = TtlOutcome.KEPT;
      }
    } else if (info.isWrite()) {
      if (!writeApplied(info, state, reader, command, reply, flags)) {
        // A conditional write that wrote nothing: a write, but it sets no TTL. EXPIRE NX (or LT)
        // replying 0 found a TTL already there, which keeps the key's earlier writes.
        ttl = TtlOutcome.KEPT;
        if (TtlSemantics.skippedExpireMeansTtl(info, state, command)) {
          ttlSetLater = audit.ttlSet(info, reader, command, key, endNanos);
        }
      } else {
        if (ttl == TtlOutcome.NONE && audit.keptExistingTtl(info, key, endNanos)) {
          ttl = TtlOutcome.KEPT;
        } else if (ttl == TtlOutcome.SET) {
          ttlSetLater = audit.ttlSet(info, reader, command, key, endNanos);
        } else if (ttl == TtlOutcome.KEPT
            && TtlSemantics.deletesKey(info, state, command, System.currentTimeMillis())) {
          // DEL, UNLINK, GETDEL, or an EXPIRE to a time already past: the key is gone.
          audit.keyDeleted(key, endNanos);
        }
        bytesWritten = audit.bytesWritten(info, reader, command, keyIndex, prefixId);
      }
    }
    Target target =
        error == null
            ? state.target()
            : targets.target(
                connection.serverAddress(),
                connection.serverPort(),
                state.database(),
                error.getClass().getName());
    long duration = endNanos - startNanos;
    CommandStats cell = table.cell(target.id(), info.id(), prefixId);
    cell.record(duration, error != null, ttlCode(ttl));
    if (ttlSetLater > 0) {
      cell.recordTtlSetLater(ttlSetLater);
    }
    if (bytesWritten > 0) {
      cell.recordBytesWritten(bytesWritten);
    }
    boolean sync = (flags & CommandFlags.ASYNC) == 0;
    CallerContext context =
        callerContext instanceof CallerContext ? (CallerContext) callerContext : null;
    audit.observe(
        info,
        reader,
        command,
        reply,
        key,
        prefixId,
        firstOnConnection,
        startNanos,
        endNanos,
        error != null,
        sync,
        (flags & (CommandFlags.PIPELINED | CommandFlags.TRANSACTION)) == 0,
        context != null ? context.callerRun() : callerContext);
    if (error == null && context != null && context.site() != null) {
      // A site read on the sending thread, for a command that completed on a client thread.
      if (info.dangerous()) {
        audit.dangerousSite(info.name(), context.site());
      } else if (ttl == TtlOutcome.NONE) {
        audit.noTtlWriteSite(prefixId, context.site());
      }
    } else if (error == null && ttl == TtlOutcome.NONE && sync) {
      audit.noTtlWriteHere(prefixId, endNanos);
    }
    maybeSpan(
        state,
        info,
        command,
        prefixId,
        error == null ? ttl : TtlOutcome.NOT_A_WRITE,
        startNanos,
        duration,
        error,
        flags,
        batchSize,
        callerContext);
  }

  /** Only slow commands matter here: their call site, read on the thread that waited. */
  @Override
  public void commandAwaited(
      RedisConnection connection, Object command, long startNanos, long nowNanos) {
    if (nowNanos - startNanos < slowNanos) {
      return;
    }
    try {
      ConnectionState state = ConnectionState.of(connection, targets);
      CommandReader reader = state.reader();
      CommandInfo info = commandInfo(reader, command);
      if (connection.handshaking() || info.handshake()) {
        return;
      }
      int prefixId = NO_KEY_PREFIX_ID;
      if (info.firstKeyIndex() >= 0) {
        byte[] key = reader.argument(command, info.firstKeyIndex());
        prefixId = key != null ? prefixes.prefixId(key) : KeyPrefixInferrer.OTHER;
      }
      audit.slowCommandAwaited(info.id(), prefixId, nowNanos);
    } catch (Throwable t) {
      failures.increment();
    }
  }

  private void maybeSpan(
      ConnectionState state,
      CommandInfo info,
      Object command,
      int prefixId,
      TtlOutcome ttl,
      long startNanos,
      long duration,
      Throwable error,
      int flags,
      int batchSize,
      Object callerContext) {
    if (!spans.enabled()) {
      return;
    }
    boolean async = (flags & CommandFlags.ASYNC) != 0;
    SpanContext parent;
    if (async) {
      parent =
          callerContext instanceof CallerContext ? ((CallerContext) callerContext).span() : null;
      traceContext.prepare(command.getClass());
    } else {
      parent = traceContext.current(command.getClass());
    }
    boolean root;
    if (parent != null) {
      root = false;
    } else if (rootSpans == RootSpans.ALL) {
      root = true;
    } else if (rootSpans == RootSpans.SLOW) {
      root = duration >= slowNanos || error != null;
      if (!root) {
        return;
      }
    } else {
      return;
    }
    // Walking the stack costs about as much as the span itself: only for the spans that say "look
    // here" (slow or failed), and only where the stack is the caller's.
    boolean worthALook = duration >= slowNanos || error != null;
    StackWalker.StackFrame location =
        root && worthALook && !async ? CallSites.firstApplicationFrame() : null;
    spans.emit(
        info.name(),
        state.spanAttributes(),
        parent,
        startNanos,
        startNanos + duration,
        error,
        QueryText.sanitize(info, state, command, keyRendering),
        prefixId == NO_KEY_PREFIX_ID ? null : prefixes.prefix(prefixId),
        ttlAttribute(ttl),
        (flags & (CommandFlags.PIPELINED | CommandFlags.TRANSACTION)) != 0 ? batchSize : 0,
        location);
  }

  /**
   * Whether a command failed because the server replied with an error, as opposed to a timeout, a
   * cancellation or a broken connection (after which a write may have been applied).
   */
  static boolean refusedByServer(Throwable error) {
    for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
      String name = type.getName();
      if (name.equals("redis.clients.jedis.exceptions.JedisDataException")
          || name.equals("io.lettuce.core.RedisCommandExecutionException")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a write changed anything, from its reply (SETNX replying 0 did not). Inside MULTI the
   * reply is not the command's own, so the write counts as applied.
   */
  private boolean writeApplied(
      CommandInfo info,
      ConnectionState state,
      CommandReader reader,
      Object command,
      Object reply,
      int flags) {
    if (!info.conditional() || (flags & CommandFlags.TRANSACTION) != 0) {
      return true;
    }
    Object decoded = reader.reply(command, reply);
    return catalog.writeApplied(
        info,
        state,
        command,
        decoded == CommandReader.UNKNOWN_REPLY ? CommandCatalog.REPLY_UNKNOWN : decoded);
  }

  private CommandInfo commandInfo(CommandReader reader, Object command) {
    Object type = reader.commandType(command);
    CommandInfo info = commandsByType.get(type);
    if (info == null) {
      info = catalog.lookup(reader.commandName(type));
      if (commandsByType.size() < 4096) {
        commandsByType.putIfAbsent(type, info);
      }
    }
    if (info.hasSubcommand()) {
      info = catalog.lookup(info.name(), reader.argument(command, 0));
    }
    return info;
  }

  private static int ttlCode(TtlOutcome ttl) {
    switch (ttl) {
      case SET:
        return CommandStats.TTL_SET;
      case NONE:
        return CommandStats.TTL_NONE;
      case KEPT:
        return CommandStats.TTL_KEPT;
      default:
        return CommandStats.TTL_NOT_A_WRITE;
    }
  }

  private static String ttlAttribute(TtlOutcome ttl) {
    switch (ttl) {
      case SET:
        return "set";
      case NONE:
        return "none";
      case KEPT:
        return "kept";
      default:
        return null;
    }
  }

  @Override
  public Object captureOpener() {
    try {
      return audit.captureOpener(System.nanoTime());
    } catch (Throwable t) {
      failures.increment();
      return RedisConnection.NOT_ASKED;
    }
  }

  @Override
  public void connectionOpened(RedisConnection connection) {
    try {
      connectionsOpened.increment();
      ConnectionState.of(connection, targets);
      Object opener = connection.opener();
      if (opener == null) {
        // Opened on the thread that asked for it (Jedis): the service's code is on this stack.
        audit.connectionOpened(System.nanoTime());
      } else {
        audit.connectionOpened(System.nanoTime(), opener);
      }
    } catch (Throwable t) {
      failures.increment();
    }
  }

  @Override
  public void connectionClosed(RedisConnection connection) {
    connectionsClosed.increment();
    try {
      Object state = connection.sinkState();
      audit.connectionClosed(
          connection.openedNanos(),
          System.nanoTime(),
          state instanceof ConnectionState ? ((ConnectionState) state).commands() : 0);
    } catch (Throwable t) {
      failures.increment();
    }
  }

  public AuditCollector audit() {
    return audit;
  }

  public long connectionsOpened() {
    return connectionsOpened.sum();
  }

  public long connectionsClosed() {
    return connectionsClosed.sum();
  }

  /** Times the sink caught its own failure instead of letting it reach the service. */
  public long failures() {
    return failures.sum();
  }

  public CommandCatalog catalog() {
    return catalog;
  }

  public KeyPrefixInferrer prefixes() {
    return prefixes;
  }

  public CommandStatsTable table() {
    return table;
  }

  public Targets targets() {
    return targets;
  }
}
