package io.cachelens.agent.audit;

import io.cachelens.agent.callsite.CallSites;
import io.cachelens.analysis.audit.AuditObservations.BigValues;
import io.cachelens.analysis.audit.AuditObservations.DangerousUse;
import io.cachelens.analysis.audit.AuditObservations.HotKeyShare;
import io.cachelens.analysis.audit.AuditObservations.Storm;
import io.cachelens.analysis.audit.AuditThresholds;
import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.callsite.CallSiteTable;
import io.cachelens.analysis.callsite.CaptureBudget;
import io.cachelens.analysis.command.CommandInfo;
import io.cachelens.analysis.connection.ConnectionTracker;
import io.cachelens.analysis.hotkey.HotKeySketch;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.query.KeyRendering;
import io.cachelens.analysis.storm.SequentialRun;
import io.cachelens.analysis.ttl.ExpiryTracker;
import io.cachelens.analysis.ttl.KeyHash;
import io.cachelens.analysis.ttl.TtlSemantics;
import io.cachelens.instrumentation.api.CommandReader;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.ReplySizes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the audit needs beyond the command table: TTL grace tracking, connection churn with the code
 * that opens connections, dangerous commands, big values, hot keys, round-trip storms and the call
 * sites of slow commands. Called by the sink on application and client threads.
 *
 * <p>Memory is fixed: the expiry table ({@value #EXPIRY_SLOTS} slots, 512 KB), the hot-key sketch
 * ({@value #HOT_KEYS} keys), and tables of at most {@value #MAX_ENTRIES} entries each, with at most
 * {@value #SITES_PER_ENTRY} call sites per entry. Stacks are walked only within the capture budget
 * ({@code cachelens.audit.call_sites.captures_per_second}, and {@code
 * cachelens.audit.no_ttl_writes.captures_per_second} for writes without TTL).
 */
public final class AuditCollector {
  static final int EXPIRY_SLOTS = 1 << 16;
  static final int HOT_KEYS = 64;
  static final int MAX_ENTRIES = 256;
  static final int SITES_PER_ENTRY = 16;
  // Every command feeds the hot-key sketch until this many have; then one in HOT_KEY_SAMPLING.
  private static final long HOT_KEY_EXACT = 4_096;
  private static final int HOT_KEY_SAMPLING = 16;
  // How much of a hot key is shown when full keys may leave the process.
  private static final int HOT_KEY_SHOWN_BYTES = 200;
  private static final KeyRendering FULL_KEY = KeyRendering.full();
  // Per prefix and second, within the write budget: a busy prefix leaves captures to the others.
  private static final int NO_TTL_CAPTURES_PER_PREFIX = 2;
  // An opener whose stack was captured but held no service frame.
  private static final Object NO_SERVICE_FRAME = new Object();

  // Reads that return a whole collection: dangerous when the reply is large.
  private static final Set<String> WHOLE_COLLECTION_READS =
      Set.of(
          "SMEMBERS",
          "HGETALL",
          "HKEYS",
          "HVALS",
          "LRANGE",
          "ZRANGE",
          "ZREVRANGE",
          "ZRANGEBYSCORE",
          "ZREVRANGEBYSCORE",
          "ZRANGEBYLEX",
          "SINTER",
          "SUNION",
          "SDIFF",
          "XRANGE",
          "XREVRANGE",
          "SORT_RO");

  private final KeyPrefixInferrer prefixes;
  private final boolean fullKeys;
  private final ExpiryTracker expiries;
  private final ConnectionTracker connections;
  // Separate budgets, so that a burst of slow commands at start-up cannot starve the connection
  // opens of their call sites, nor the other way round.
  private final CaptureBudget openBudget;
  private final CaptureBudget budget;
  private final CaptureBudget writeBudget;
  private final HotKeySketch hotKeys;
  private final long writeBytesThreshold;
  private final long replyBytesThreshold;
  private final long largeReplyElements;
  private final int stormRunLength;
  private final long stormMaxGapNanos;
  private final long slowNanos;
  private final Map<String, Dangerous> dangerous = new ConcurrentHashMap<>();
  private final Map<Integer, Big> bigValues = new ConcurrentHashMap<>();
  private final Map<String, StormSite> storms = new ConcurrentHashMap<>();
  private final Map<Long, CallSiteTable> slowSites = new ConcurrentHashMap<>();
  private final Map<Integer, NoTtlSites> noTtlSites = new ConcurrentHashMap<>();
  private final ThreadLocal<ThreadRun> runs = ThreadLocal.withInitial(ThreadRun::new);
  private final ThreadLocal<CallerRun> callerRuns = ThreadLocal.withInitial(CallerRun::new);

  /**
   * @param slowNanos commands at least this slow have their call site captured (within budget)
   */
  public AuditCollector(
      AuditThresholds thresholds,
      KeyPrefixInferrer prefixes,
      boolean fullKeys,
      long slowNanos,
      Instant start,
      long startNanos) {
    this.prefixes = prefixes;
    this.fullKeys = fullKeys;
    this.hotKeys = new HotKeySketch(HOT_KEYS, fullKeys ? HOT_KEY_SHOWN_BYTES : 0);
    this.expiries =
        new ExpiryTracker(EXPIRY_SLOTS, thresholds.get("no_ttl_writes.grace_millis"), startNanos);
    this.connections = new ConnectionTracker(start, startNanos, MAX_ENTRIES);
    int capturesPerSecond =
        (int) Math.min(1 << 19, thresholds.get("call_sites.captures_per_second"));
    this.openBudget = new CaptureBudget(capturesPerSecond);
    this.budget = new CaptureBudget(capturesPerSecond);
    this.writeBudget =
        new CaptureBudget(
            (int) Math.min(1 << 19, thresholds.get("no_ttl_writes.captures_per_second")));
    this.writeBytesThreshold = thresholds.get("big_value.write_bytes");
    this.replyBytesThreshold = thresholds.get("big_value.reply_bytes");
    this.largeReplyElements = thresholds.get("dangerous_command.large_reply_elements");
    this.stormRunLength =
        (int) Math.min(Integer.MAX_VALUE, thresholds.get("round_trip_storm.run_length"));
    this.stormMaxGapNanos = thresholds.get("round_trip_storm.max_gap_micros") * 1000;
    this.slowNanos = slowNanos;
  }

  // ---- connections ----

  /** A connection opened, on the thread that opened it (the service's, for Jedis). */
  public void connectionOpened(long nowNanos) {
    boolean captured = openBudget.tryAcquire(nowNanos);
    connections.opened(nowNanos, captured ? callSite() : null, captured);
  }

  /**
   * On the thread that asks for a connection another thread will open (Lettuce): its call site when
   * the budget allows, to be handed back to {@link #connectionOpened(long, Object)}.
   */
  public Object captureOpener(long nowNanos) {
    if (!openBudget.tryAcquire(nowNanos)) {
      return RedisConnection.NOT_ASKED;
    }
    String site = callSite();
    return site != null ? site : NO_SERVICE_FRAME;
  }

  /**
   * A connection opened on a client thread, with what {@link #captureOpener} returned where it was
   * asked for, or {@link RedisConnection#NOT_ASKED} for a reconnect or an unsampled request.
   */
  public void connectionOpened(long nowNanos, Object opener) {
    if (opener instanceof String) {
      connections.opened(nowNanos, (String) opener, true);
    } else {
      connections.opened(nowNanos, null, opener == NO_SERVICE_FRAME);
    }
  }

  /** A connection closed after carrying {@code commands} of the service's commands. */
  public void connectionClosed(long openedNanos, long nowNanos, long commands) {
    connections.closed(openedNanos, nowNanos, commands);
  }

  public ConnectionTracker connections() {
    return connections;
  }

  // ---- TTL ----

  /**
   * A successful write that by itself leaves its key without TTL; true when the key is known to
   * have a TTL that this write keeps (count it as kept).
   */
  public boolean keptExistingTtl(CommandInfo info, byte[] key, long nowNanos) {
    if (key == null) {
      return false;
    }
    return expiries.writeWithoutTtl(KeyHash.of(key), TtlSemantics.keepsExistingTtl(info), nowNanos);
  }

  /**
   * A successful write that gave its key a TTL; returns how many earlier writes of the key, counted
   * without TTL within the grace window, it rescued.
   */
  public int ttlSet(
      CommandInfo info, CommandReader reader, Object command, byte[] key, long nowNanos) {
    if (key == null) {
      return 0;
    }
    long ttlMillis = -1;
    if (TtlSemantics.isExpire(info)) {
      ttlMillis =
          TtlSemantics.expiryMillis(info, reader.argument(command, 1), System.currentTimeMillis());
    }
    return expiries.expirySet(KeyHash.of(key), ttlMillis, nowNanos);
  }

  /** A successful write removed its key: forget what the expiry table knew of it. */
  public void keyDeleted(byte[] key, long nowNanos) {
    if (key != null) {
      expiries.keyDeleted(KeyHash.of(key), nowNanos);
    }
  }

  /**
   * A write that set no TTL, on the thread that sent it (Jedis): its call site, within the write
   * budget. Sampled when sent, so a write that an EXPIRE rescues later may still be listed.
   */
  public void noTtlWriteHere(int prefixId, long nowNanos) {
    if (writeSiteWanted(prefixId, nowNanos)) {
      noTtlWriteSite(prefixId, callSite());
    }
  }

  /** The call site of a write that set no TTL, read where it was sent. */
  public void noTtlWriteSite(int prefixId, String site) {
    if (site != null) {
      noTtlSitesOf(prefixId).sites.add(site);
    }
  }

  /** Whether the write budget has a capture left this second; takes none. */
  public boolean writeSiteAvailable(long nowNanos) {
    return writeBudget.available(nowNanos);
  }

  /**
   * Whether to read the site of a write that sets no TTL: within the prefix's own share (so that
   * one busy prefix cannot take every capture of a second) and the write budget.
   */
  public boolean writeSiteWanted(int prefixId, long nowNanos) {
    return writeBudget.available(nowNanos)
        && noTtlSitesOf(prefixId).budget.tryAcquire(nowNanos)
        && writeBudget.tryAcquire(nowNanos);
  }

  /** The call sites of writes that set no TTL, by prefix, most frequent first. */
  public Map<String, List<String>> noTtlWriteSites() {
    Map<String, List<String>> sites = new java.util.TreeMap<>();
    noTtlSites.forEach(
        (prefixId, entry) ->
            sites.merge(
                prefixes.prefix(prefixId),
                siteNames(entry.sites.snapshot()),
                (a, b) -> a.size() >= b.size() ? a : b));
    return sites;
  }

  private NoTtlSites noTtlSitesOf(int prefixId) {
    NoTtlSites entry = noTtlSites.get(prefixId);
    if (entry == null) {
      if (noTtlSites.size() >= MAX_ENTRIES) {
        prefixId = KeyPrefixInferrer.OTHER;
      }
      entry = noTtlSites.computeIfAbsent(prefixId, ignored -> new NoTtlSites());
    }
    return entry;
  }

  /** Writes whose pending TTL entry another key evicted before its grace window ended. */
  public long expiryEvictions() {
    return expiries.evictions();
  }

  /**
   * The bytes a write carried beyond its first key (values, fields, options); records big writes.
   */
  public long bytesWritten(
      CommandInfo info, CommandReader reader, Object command, int keyIndex, int prefixId) {
    if (TtlSemantics.isExpire(info)) {
      // Its argument is a duration, not data.
      return 0;
    }
    int count = reader.argumentCount(command);
    long total = 0;
    long largest = 0;
    for (int i = 0; i < count; i++) {
      if (i == keyIndex) {
        continue;
      }
      long size = reader.argumentSize(command, i);
      if (size > 0) {
        total += size;
        largest = Math.max(largest, size);
      }
    }
    if (largest >= writeBytesThreshold) {
      big(prefixId).write(largest);
    }
    return total;
  }

  // ---- per-command observations ----

  /**
   * On a thread dispatching a command that will complete on a client thread (Lettuce): the thread's
   * run of sequential commands, to be passed back to {@link #observe} as {@code callerRun}. When a
   * storm that run belongs to still lacks its call site, captures it here: the next command of an
   * N+1 loop is sent from the same line as the ones before.
   */
  public Object callerRun() {
    CallerRun caller = callerRuns.get();
    StormSite wantsSite = caller.wantsSite;
    if (wantsSite != null) {
      caller.wantsSite = null;
      if (budget.tryAcquire(System.nanoTime())) {
        wantsSite.siteIfUnknown(callSite());
      }
    }
    return caller;
  }

  /**
   * Everything else the audit looks at for one command the service sent.
   *
   * @param sync whether it completed on the thread that sent it, which then holds the caller's
   *     stack
   * @param alone whether it was sent alone (not pipelined, not in MULTI)
   * @param firstOnConnection whether it is the first of the service's commands on its connection
   * @param callerRun what {@link #callerRun()} returned where an asynchronous command was sent, or
   *     null
   */
  public void observe(
      CommandInfo info,
      CommandReader reader,
      Object command,
      Object reply,
      byte[] key,
      int prefixId,
      boolean firstOnConnection,
      long startNanos,
      long endNanos,
      boolean failed,
      boolean sync,
      boolean alone,
      Object callerRun) {
    if (info.dangerous()) {
      dangerous(info.name(), false, 0, 0, sync, endNanos);
    }
    if (!failed && info.isRead()) {
      long size = reader.replySize(command, reply);
      if (size > 0) {
        long elements = ReplySizes.elements(size);
        long bytes = ReplySizes.bytes(size);
        if (bytes >= replyBytesThreshold && key != null) {
          big(prefixId).reply(bytes);
        }
        if (elements >= largeReplyElements && WHOLE_COLLECTION_READS.contains(info.name())) {
          dangerous(info.name(), true, elements, bytes, sync, endNanos);
        }
      }
    }
    if (key != null) {
      sampleHotKey(key, prefixId);
    }
    if (sync) {
      if (alone && key != null && info.lastKeyIndex() == info.firstKeyIndex()) {
        storm(info, prefixId, firstOnConnection, startNanos, endNanos);
      } else {
        runs.get().run.reset();
      }
      if (endNanos - startNanos >= slowNanos && budget.tryAcquire(endNanos)) {
        slowSite(info.id(), prefixId);
      }
    } else if (callerRun instanceof CallerRun) {
      CallerRun caller = (CallerRun) callerRun;
      // The caller's commands may complete on several event loops at once: skip rather than wait.
      if (caller.busy.compareAndSet(false, true)) {
        try {
          if (alone && key != null && info.lastKeyIndex() == info.firstKeyIndex()) {
            stormOfCaller(caller, info, prefixId, firstOnConnection, startNanos, endNanos);
          } else {
            caller.run.reset();
          }
        } finally {
          caller.busy.set(false);
        }
      }
    }
  }

  private void dangerous(
      String name, boolean largeReply, long elements, long bytes, boolean sync, long nowNanos) {
    String key = largeReply ? name + " (large reply)" : name;
    Dangerous entry = dangerous.get(key);
    if (entry == null) {
      if (dangerous.size() >= MAX_ENTRIES) {
        return;
      }
      entry = dangerous.computeIfAbsent(key, ignored -> new Dangerous(name, largeReply));
    }
    entry.count.increment();
    entry.maxElements.accumulateAndGet(elements, Math::max);
    entry.maxBytes.accumulateAndGet(bytes, Math::max);
    if (sync && budget.tryAcquire(nowNanos)) {
      String site = callSite();
      if (site != null) {
        entry.sites.add(site);
      }
    }
  }

  /** At dispatch of a dangerous command that completes elsewhere: its site, within budget. */
  public String dangerousSiteHere(long nowNanos) {
    return budget.tryAcquire(nowNanos) ? callSite() : null;
  }

  /** The service's code location on the current stack, or null. */
  public String siteHere() {
    return callSite();
  }

  /** The call site of a dangerous command, read where it was sent. */
  public void dangerousSite(String name, String site) {
    Dangerous entry = dangerous.get(name);
    if (entry != null) {
      entry.sites.add(site);
    }
  }

  private Big big(int prefixId) {
    Big entry = bigValues.get(prefixId);
    if (entry == null) {
      if (bigValues.size() >= MAX_ENTRIES) {
        prefixId = KeyPrefixInferrer.OTHER;
      }
      entry = bigValues.computeIfAbsent(prefixId, ignored -> new Big());
    }
    return entry;
  }

  private void sampleHotKey(byte[] key, int prefixId) {
    if (hotKeys.total() >= HOT_KEY_EXACT
        && ThreadLocalRandom.current().nextInt(HOT_KEY_SAMPLING) != 0) {
      return;
    }
    hotKeys.add(KeyHash.of(key), prefixId, key);
  }

  /** A hot key as reports show it: the key itself when allowed, else its prefix and short hash. */
  private String keyLabel(HotKeySketch.HotKey key) {
    if (key.keyBytes() != null) {
      // Escaped as span attributes show full keys: binary bytes as \xNN, never as U+FFFD.
      String shown = FULL_KEY.render(key.keyBytes());
      return key.keyBytes().length < key.keyLength() ? shown + "…" : shown;
    }
    String hash = Integer.toHexString((int) (key.keyHash() >>> 32));
    StringBuilder label = new StringBuilder(prefixes.prefix(key.prefixId())).append(" #");
    for (int i = hash.length(); i < 8; i++) {
      label.append('0');
    }
    return label.append(hash).toString();
  }

  private void storm(
      CommandInfo info, int prefixId, boolean firstOnConnection, long startNanos, long endNanos) {
    ThreadRun thread = runs.get();
    int state =
        thread.run.next(
            info.id(),
            prefixId,
            firstOnConnection,
            startNanos,
            endNanos,
            stormMaxGapNanos,
            stormRunLength);
    if (state == SequentialRun.STARTED) {
      String site = budget.tryAcquire(endNanos) ? callSite() : null;
      thread.storm = stormStarted(info, prefixId, site, site);
    } else if (state == SequentialRun.CONTINUED) {
      stormContinued(thread);
    }
  }

  /**
   * A storm followed on a client thread for the thread that sent it: its call site is captured at
   * that thread's next dispatch ({@link #callerRun()}), so one entry per command and prefix.
   */
  private void stormOfCaller(
      CallerRun caller,
      CommandInfo info,
      int prefixId,
      boolean firstOnConnection,
      long startNanos,
      long endNanos) {
    int state =
        caller.run.next(
            info.id(),
            prefixId,
            firstOnConnection,
            startNanos,
            endNanos,
            stormMaxGapNanos,
            stormRunLength);
    if (state == SequentialRun.STARTED) {
      StormSite entry = stormStarted(info, prefixId, "(sent from another thread)", null);
      caller.storm = entry;
      if (entry != null && entry.site == null) {
        caller.wantsSite = entry;
      }
    } else if (state == SequentialRun.CONTINUED) {
      stormContinued(caller);
    }
  }

  private StormSite stormStarted(CommandInfo info, int prefixId, String siteKey, String site) {
    String key = info.name() + '\u0000' + prefixId + '\u0000' + siteKey;
    StormSite entry = storms.get(key);
    if (entry == null && storms.size() < MAX_ENTRIES) {
      entry = storms.computeIfAbsent(key, ignored -> new StormSite(info.name(), prefixId, site));
    }
    if (entry != null) {
      entry.bursts.increment();
      entry.commands.add(stormRunLength);
      entry.longest.accumulateAndGet(stormRunLength, Math::max);
    }
    return entry;
  }

  private static void stormContinued(ThreadRun thread) {
    if (thread.storm != null) {
      thread.storm.commands.increment();
      thread.storm.longest.accumulateAndGet(thread.run.length(), Math::max);
    }
  }

  /**
   * A slow command that completed on a client thread, seen again on the thread that waited for it:
   * captures that thread's call site, within the budget.
   */
  public void slowCommandAwaited(int commandId, int prefixId, long nowNanos) {
    if (budget.tryAcquire(nowNanos)) {
      slowSite(commandId, prefixId);
    }
  }

  private void slowSite(int commandId, int prefixId) {
    String site = callSite();
    if (site == null) {
      return;
    }
    long key = (long) commandId << 32 | prefixId;
    CallSiteTable sites = slowSites.get(key);
    if (sites == null) {
      if (slowSites.size() >= MAX_ENTRIES) {
        return;
      }
      sites = slowSites.computeIfAbsent(key, ignored -> new CallSiteTable(SITES_PER_ENTRY));
    }
    sites.add(site);
  }

  /** The service's frame on the current stack as {@code com.acme.Type.method(Type.java:42)}. */
  static String callSite() {
    return CallSites.firstApplicationSite();
  }

  // ---- snapshots for the audit ----

  /** The call sites of slow commands of one command and prefix, most frequent first. */
  public List<String> slowCallSites(int commandId, int prefixId) {
    CallSiteTable sites = slowSites.get((long) commandId << 32 | prefixId);
    return sites == null ? List.of() : siteNames(sites.snapshot());
  }

  public List<DangerousUse> dangerousUses() {
    List<DangerousUse> uses = new ArrayList<>();
    for (Dangerous entry : dangerous.values()) {
      uses.add(
          new DangerousUse(
              entry.name,
              entry.count.sum(),
              entry.maxElements.get(),
              entry.maxBytes.get(),
              entry.largeReply,
              siteNames(entry.sites.snapshot())));
    }
    uses.sort((a, b) -> a.command().compareTo(b.command()));
    return uses;
  }

  public List<BigValues> bigValues() {
    List<BigValues> values = new ArrayList<>();
    bigValues.forEach(
        (prefixId, entry) ->
            values.add(
                new BigValues(
                    prefixes.prefix(prefixId),
                    entry.writes.sum(),
                    entry.maxWrite.get(),
                    entry.replies.sum(),
                    entry.maxReply.get())));
    values.sort((a, b) -> a.prefix().compareTo(b.prefix()));
    return values;
  }

  public List<HotKeyShare> hotKeys() {
    List<HotKeyShare> keys = new ArrayList<>();
    for (HotKeySketch.HotKey key : hotKeys.top()) {
      keys.add(
          new HotKeyShare(
              keyLabel(key), prefixes.prefix(key.prefixId()), key.count(), key.error()));
    }
    return keys;
  }

  public long hotKeySampled() {
    return hotKeys.total();
  }

  public List<Storm> storms() {
    List<Storm> list = new ArrayList<>();
    for (StormSite entry : storms.values()) {
      list.add(
          new Storm(
              entry.command,
              entry.prefixId == KeyPrefixInferrer.OTHER ? null : prefixes.prefix(entry.prefixId),
              entry.site,
              entry.bursts.sum(),
              entry.commands.sum(),
              entry.longest.get()));
    }
    list.sort((a, b) -> Long.compare(b.commands(), a.commands()));
    return list;
  }

  private static List<String> siteNames(List<CallSiteCount> sites) {
    List<String> names = new ArrayList<>(sites.size());
    for (CallSiteCount site : sites) {
      names.add(site.site());
    }
    return names;
  }

  private static final class Dangerous {
    final String name;
    final boolean largeReply;
    final LongAdder count = new LongAdder();
    final AtomicLong maxElements = new AtomicLong();
    final AtomicLong maxBytes = new AtomicLong();
    final CallSiteTable sites = new CallSiteTable(SITES_PER_ENTRY);

    Dangerous(String name, boolean largeReply) {
      this.name = name;
      this.largeReply = largeReply;
    }
  }

  /** The sites of one prefix's writes without TTL, and its share of the write budget. */
  private static final class NoTtlSites {
    final CallSiteTable sites = new CallSiteTable(SITES_PER_ENTRY);
    final CaptureBudget budget = new CaptureBudget(NO_TTL_CAPTURES_PER_PREFIX);
  }

  private static final class Big {
    final LongAdder writes = new LongAdder();
    final AtomicLong maxWrite = new AtomicLong();
    final LongAdder replies = new LongAdder();
    final AtomicLong maxReply = new AtomicLong();

    void write(long bytes) {
      writes.increment();
      maxWrite.accumulateAndGet(bytes, Math::max);
    }

    void reply(long bytes) {
      replies.increment();
      maxReply.accumulateAndGet(bytes, Math::max);
    }
  }

  private static final class StormSite {
    final String command;
    final int prefixId;
    // Set later for storms seen on a client thread, once their sender's stack is at hand.
    volatile String site;
    final LongAdder bursts = new LongAdder();
    final LongAdder commands = new LongAdder();
    final AtomicLong longest = new AtomicLong();

    StormSite(String command, int prefixId, String site) {
      this.command = command;
      this.prefixId = prefixId;
      this.site = site;
    }

    synchronized void siteIfUnknown(String found) {
      if (site == null) {
        site = found;
      }
    }
  }

  /** One thread's run of sequential commands and the storm it belongs to. */
  private static class ThreadRun {
    final SequentialRun run = new SequentialRun();
    StormSite storm;
  }

  /**
   * The run of a thread whose commands complete on client threads, which take turns through {@code
   * busy}; {@code wantsSite} is the storm whose call site the thread itself should capture.
   */
  private static final class CallerRun extends ThreadRun {
    final AtomicBoolean busy = new AtomicBoolean();
    volatile StormSite wantsSite;
  }
}
