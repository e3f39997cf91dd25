package io.cachelens.analysis.command;

import static io.cachelens.analysis.command.TtlOutcome.KEPT;
import static io.cachelens.analysis.command.TtlOutcome.NONE;
import static io.cachelens.analysis.command.TtlOutcome.NOT_A_WRITE;
import static io.cachelens.analysis.command.TtlOutcome.SET;

import io.cachelens.analysis.command.CommandInfo.Definition;
import io.cachelens.analysis.command.CommandInfo.ReplyRule;
import io.cachelens.analysis.command.CommandInfo.TtlRule;
import java.util.List;

/**
 * The built-in command table: Redis 7.x/8.0 and Valkey 8 commands by group, with kind, key
 * positions, where keyword options start, TTL effect and safety flags.
 *
 * <p>Sources: the {@code COMMAND DOCS} key specs and flags of Redis and Valkey. Where the servers'
 * own flags are too coarse for a dashboard this table is deliberate: {@code FLUSHALL} is {@link
 * CommandKind#ADMIN} (not a data write), {@code SORT} and {@code GEORADIUS} are writes whose TTL
 * outcome depends on {@code STORE}.
 */
final class StandardCommands {

  private StandardCommands() {}

  static List<Definition> definitions() {
    return List.of(
        // Strings
        write("APPEND", NONE).key(),
        write("DECR", NONE).key(),
        write("DECRBY", NONE).key(),
        write("DELIFEQ", KEPT).key().applied(ReplyRule.ZERO_IF_SKIPPED),
        read("GET").key(),
        write("GETDEL", KEPT).key(),
        write("GETEX", KEPT)
            .key()
            .options(1)
            .ttl(TtlRule.GETEX_OPTIONS)
            .applied(ReplyRule.NIL_IF_SKIPPED),
        read("GETRANGE").key(),
        write("GETSET", NONE).key(),
        write("INCR", NONE).key(),
        write("INCRBY", NONE).key(),
        write("INCRBYFLOAT", NONE).key(),
        read("LCS").keys(0, 1, 1).options(2),
        read("MGET").keys(0, -1, 1),
        write("MSET", NONE).keys(0, -1, 2),
        write("MSETNX", NONE).keys(0, -1, 2).applied(ReplyRule.ZERO_IF_SKIPPED),
        write("PSETEX", SET).key(),
        write("SET", NONE)
            .key()
            .options(2)
            .ttl(TtlRule.SET_OPTIONS)
            .applied(ReplyRule.SET_CONDITIONS),
        write("SETEX", SET).key(),
        write("SETNX", NONE).key().applied(ReplyRule.ZERO_IF_SKIPPED),
        write("SETRANGE", NONE).key(),
        read("STRLEN").key(),
        read("SUBSTR").key(),

        // Bitmaps
        read("BITCOUNT").key().options(1),
        write("BITFIELD", NONE).key().options(1),
        read("BITFIELD_RO").key().options(1),
        write("BITOP", NONE).keys(1, -1, 1).options(0),
        read("BITPOS").key().options(1),
        read("GETBIT").key(),
        write("SETBIT", NONE).key(),

        // Hashes, including per-field expiry (Redis 7.4+, 8.0)
        write("HDEL", KEPT).key(),
        read("HEXISTS").key(),
        write("HEXPIRE", KEPT).key().options(2),
        write("HEXPIREAT", KEPT).key().options(2),
        read("HEXPIRETIME").key().options(1),
        read("HGET").key(),
        read("HGETALL").key(),
        write("HGETDEL", KEPT).key().options(1),
        write("HGETEX", KEPT).key().options(1),
        write("HINCRBY", NONE).key(),
        write("HINCRBYFLOAT", NONE).key(),
        read("HKEYS").key(),
        read("HLEN").key(),
        read("HMGET").key(),
        write("HMSET", NONE).key(),
        write("HPERSIST", KEPT).key().options(1),
        write("HPEXPIRE", KEPT).key().options(2),
        write("HPEXPIREAT", KEPT).key().options(2),
        read("HPEXPIRETIME").key().options(1),
        read("HPTTL").key().options(1),
        read("HRANDFIELD").key().options(1),
        read("HSCAN").key().options(2),
        write("HSET", NONE).key(),
        write("HSETEX", NONE).key().options(1),
        write("HSETNX", NONE).key().applied(ReplyRule.ZERO_IF_SKIPPED),
        read("HSTRLEN").key(),
        read("HTTL").key().options(1),
        read("HVALS").key(),

        // Lists
        write("BLMOVE", NONE).keys(0, 1, 1).options(2).applied(ReplyRule.NIL_IF_SKIPPED),
        write("BLMPOP", KEPT).counted(1).options(0),
        write("BLPOP", KEPT).keys(0, -2, 1),
        write("BRPOP", KEPT).keys(0, -2, 1),
        write("BRPOPLPUSH", NONE).keys(0, 1, 1).applied(ReplyRule.NIL_IF_SKIPPED),
        read("LINDEX").key(),
        write("LINSERT", KEPT).key().options(1),
        read("LLEN").key(),
        write("LMOVE", NONE).keys(0, 1, 1).options(2).applied(ReplyRule.NIL_IF_SKIPPED),
        write("LMPOP", KEPT).counted(0).options(0),
        write("LPOP", KEPT).key(),
        read("LPOS").key().options(2),
        write("LPUSH", NONE).key(),
        write("LPUSHX", KEPT).key(),
        read("LRANGE").key(),
        write("LREM", KEPT).key(),
        write("LSET", KEPT).key(),
        write("LTRIM", KEPT).key(),
        write("RPOP", KEPT).key(),
        write("RPOPLPUSH", NONE).keys(0, 1, 1).applied(ReplyRule.NIL_IF_SKIPPED),
        write("RPUSH", NONE).key(),
        write("RPUSHX", KEPT).key(),

        // Sets
        write("SADD", NONE).key(),
        read("SCARD").key(),
        read("SDIFF").keys(0, -1, 1),
        write("SDIFFSTORE", NONE).keys(0, -1, 1),
        read("SINTER").keys(0, -1, 1),
        read("SINTERCARD").counted(0).options(0),
        write("SINTERSTORE", NONE).keys(0, -1, 1),
        read("SISMEMBER").key(),
        read("SMEMBERS").key(),
        read("SMISMEMBER").key(),
        write("SMOVE", NONE).keys(0, 1, 1).applied(ReplyRule.ZERO_IF_SKIPPED),
        write("SPOP", KEPT).key(),
        read("SRANDMEMBER").key(),
        write("SREM", KEPT).key(),
        read("SSCAN").key().options(2),
        read("SUNION").keys(0, -1, 1),
        write("SUNIONSTORE", NONE).keys(0, -1, 1),

        // Sorted sets
        write("BZMPOP", KEPT).counted(1).options(0),
        write("BZPOPMAX", KEPT).keys(0, -2, 1),
        write("BZPOPMIN", KEPT).keys(0, -2, 1),
        write("ZADD", NONE).key().options(1),
        read("ZCARD").key(),
        read("ZCOUNT").key(),
        read("ZDIFF").counted(0).options(0),
        write("ZDIFFSTORE", NONE).key().counted(1),
        write("ZINCRBY", NONE).key(),
        read("ZINTER").counted(0).options(0),
        read("ZINTERCARD").counted(0).options(0),
        write("ZINTERSTORE", NONE).key().counted(1).options(1),
        read("ZLEXCOUNT").key(),
        write("ZMPOP", KEPT).counted(0).options(0),
        read("ZMSCORE").key(),
        write("ZPOPMAX", KEPT).key(),
        write("ZPOPMIN", KEPT).key(),
        read("ZRANDMEMBER").key().options(1),
        read("ZRANGE").key().options(3),
        read("ZRANGEBYLEX").key().options(3),
        read("ZRANGEBYSCORE").key().options(3),
        write("ZRANGESTORE", NONE).keys(0, 1, 1).options(4),
        read("ZRANK").key().options(2),
        write("ZREM", KEPT).key(),
        write("ZREMRANGEBYLEX", KEPT).key(),
        write("ZREMRANGEBYRANK", KEPT).key(),
        write("ZREMRANGEBYSCORE", KEPT).key(),
        read("ZREVRANGE").key().options(3),
        read("ZREVRANGEBYLEX").key().options(3),
        read("ZREVRANGEBYSCORE").key().options(3),
        read("ZREVRANK").key().options(2),
        read("ZSCAN").key().options(2),
        read("ZSCORE").key(),
        read("ZUNION").counted(0).options(0),
        write("ZUNIONSTORE", NONE).key().counted(1).options(1),

        // Streams
        write("XACK", KEPT).key(),
        write("XACKDEL", KEPT).key().options(2),
        write("XADD", NONE).key().options(1),
        write("XAUTOCLAIM", KEPT).key().options(5),
        write("XCLAIM", KEPT).key().options(5),
        write("XDEL", KEPT).key(),
        write("XDELEX", KEPT).key().options(1),
        container(
            write("XGROUP", KEPT),
            write("CREATE", NONE).keyAt(1).options(4),
            write("CREATECONSUMER", KEPT).keyAt(1),
            write("DELCONSUMER", KEPT).keyAt(1),
            write("DESTROY", KEPT).keyAt(1),
            write("SETID", KEPT).keyAt(1).options(3)),
        container(
            read("XINFO"),
            read("CONSUMERS").keyAt(1),
            read("GROUPS").keyAt(1),
            read("STREAM").keyAt(1).options(2)),
        read("XLEN").key(),
        read("XPENDING").key().options(2),
        read("XRANGE").key().options(3),
        read("XREAD").streams().options(0),
        write("XREADGROUP", KEPT).streams().options(0),
        read("XREVRANGE").key().options(3),
        write("XSETID", KEPT).key().options(2),
        write("XTRIM", KEPT).key().options(1),

        // HyperLogLog
        write("PFADD", NONE).key(),
        read("PFCOUNT").keys(0, -1, 1),
        admin("PFDEBUG").keyAt(1),
        write("PFMERGE", NONE).keys(0, -1, 1),
        admin("PFSELFTEST"),

        // Geo
        write("GEOADD", NONE).key().options(1),
        read("GEODIST").key().options(3),
        read("GEOHASH").key(),
        read("GEOPOS").key(),
        write("GEORADIUS", NOT_A_WRITE).key().storeOption().options(4).ttl(TtlRule.STORE_OPTION),
        read("GEORADIUS_RO").key().options(4),
        write("GEORADIUSBYMEMBER", NOT_A_WRITE)
            .key()
            .storeOption()
            .options(3)
            .ttl(TtlRule.STORE_OPTION),
        read("GEORADIUSBYMEMBER_RO").key().options(3),
        read("GEOSEARCH").key().options(1),
        write("GEOSEARCHSTORE", NONE).keys(0, 1, 1).options(2),

        // Keys
        write("COPY", KEPT).keys(0, 1, 1).options(2),
        write("DEL", KEPT).keys(0, -1, 1),
        read("DUMP").key(),
        read("EXISTS").keys(0, -1, 1),
        write("EXPIRE", SET)
            .key()
            .options(2)
            .ttl(TtlRule.EXPIRE_TIME)
            .applied(ReplyRule.ZERO_IF_SKIPPED),
        write("EXPIREAT", SET)
            .key()
            .options(2)
            .ttl(TtlRule.EXPIRE_TIME)
            .applied(ReplyRule.ZERO_IF_SKIPPED),
        read("EXPIRETIME").key(),
        read("KEYS").dangerous(),
        write("MIGRATE", KEPT).migrate().options(5).redact(),
        write("MOVE", KEPT).key(),
        container(
            read("OBJECT"),
            read("ENCODING").keyAt(1),
            read("FREQ").keyAt(1),
            read("IDLETIME").keyAt(1),
            read("REFCOUNT").keyAt(1)),
        write("PERSIST", NONE).key().applied(ReplyRule.ZERO_IF_SKIPPED),
        write("PEXPIRE", SET)
            .key()
            .options(2)
            .ttl(TtlRule.EXPIRE_TIME)
            .applied(ReplyRule.ZERO_IF_SKIPPED),
        write("PEXPIREAT", SET)
            .key()
            .options(2)
            .ttl(TtlRule.EXPIRE_TIME)
            .applied(ReplyRule.ZERO_IF_SKIPPED),
        read("PEXPIRETIME").key(),
        read("PTTL").key(),
        read("RANDOMKEY"),
        write("RENAME", KEPT).keys(0, 1, 1),
        write("RENAMENX", KEPT).keys(0, 1, 1),
        write("RESTORE", NONE).key().options(3).ttl(TtlRule.RESTORE_TTL),
        read("SCAN").options(1),
        write("SORT", NOT_A_WRITE).key().storeOption().options(1).ttl(TtlRule.STORE_OPTION),
        read("SORT_RO").key().options(1),
        read("TOUCH").keys(0, -1, 1),
        read("TTL").key(),
        read("TYPE").key(),
        write("UNLINK", KEPT).keys(0, -1, 1),
        admin("WAIT"),
        admin("WAITAOF"),

        // Connection
        connection("ASKING"),
        connection("AUTH").handshake().redact(),
        container(
            connection("CLIENT"),
            connection("CACHING").options(1),
            connection("CAPA").options(1),
            connection("GETNAME"),
            connection("GETREDIR"),
            connection("ID"),
            connection("IMPORT-SOURCE").options(1),
            connection("INFO"),
            connection("KILL").options(1).dangerous(),
            connection("LIST").options(1),
            connection("NO-EVICT").options(1),
            connection("NO-TOUCH").options(1),
            connection("PAUSE").options(2).dangerous(),
            connection("REPLY").options(1),
            connection("SETINFO").options(1).handshake(),
            connection("SETNAME").handshake(),
            connection("TRACKING").options(1),
            connection("TRACKINGINFO"),
            connection("UNBLOCK").options(2),
            connection("UNPAUSE")),
        connection("ECHO"),
        connection("HELLO").handshake().redact(),
        connection("PING"),
        connection("QUIT"),
        connection("READONLY"),
        connection("READWRITE"),
        connection("RESET"),
        connection("SELECT"),

        // Server
        container(
            admin("ACL").redact(),
            admin("CAT"),
            admin("DELUSER"),
            admin("DRYRUN"),
            admin("GENPASS"),
            admin("GETUSER"),
            admin("LIST"),
            admin("LOAD"),
            admin("LOG").options(1),
            admin("SAVE"),
            admin("SETUSER").redact(),
            admin("USERS"),
            admin("WHOAMI")),
        admin("BGREWRITEAOF").dangerous(),
        admin("BGSAVE").options(0).dangerous(),
        container(
            connection("COMMAND"),
            connection("COUNT"),
            connection("DOCS"),
            connection("GETKEYS"),
            connection("GETKEYSANDFLAGS"),
            connection("INFO"),
            connection("LIST").options(1)),
        container(
            admin("COMMANDLOG"),
            admin("GET").options(2),
            admin("LEN").options(1),
            admin("RESET").options(1)),
        container(
            admin("CONFIG").redact(),
            admin("GET"),
            admin("RESETSTAT").dangerous(),
            admin("REWRITE").dangerous(),
            admin("SET").redact().dangerous()),
        admin("DBSIZE"),
        admin("DEBUG").dangerous(),
        admin("FAILOVER").options(0).dangerous(),
        admin("FLUSHALL").options(0).dangerous(),
        admin("FLUSHDB").options(0).dangerous(),
        admin("INFO"),
        admin("LASTSAVE"),
        container(
            admin("LATENCY"),
            admin("DOCTOR"),
            admin("GRAPH"),
            admin("HISTOGRAM"),
            admin("HISTORY"),
            admin("LATEST"),
            admin("RESET")),
        admin("LOLWUT").options(0),
        container(
            admin("MEMORY"),
            admin("DOCTOR"),
            admin("MALLOC-STATS"),
            admin("PURGE"),
            admin("STATS"),
            read("USAGE").keyAt(1).options(2)),
        container(
            admin("MODULE"),
            admin("LIST"),
            admin("LOAD").dangerous(),
            admin("LOADEX").redact().dangerous(),
            admin("UNLOAD").dangerous()),
        admin("MONITOR").dangerous(),
        admin("PSYNC").dangerous(),
        admin("REPLCONF"),
        admin("REPLICAOF").options(0).dangerous(),
        admin("ROLE"),
        admin("SAVE").dangerous(),
        admin("SHUTDOWN").options(0).dangerous(),
        admin("SLAVEOF").options(0).dangerous(),
        container(admin("SLOWLOG"), admin("GET"), admin("LEN"), admin("RESET")),
        admin("SWAPDB").dangerous(),
        admin("SYNC").dangerous(),
        admin("TIME"),

        // Scripting and functions
        script("EVAL").counted(1),
        script("EVAL_RO").counted(1),
        script("EVALSHA").counted(1),
        script("EVALSHA_RO").counted(1),
        script("FCALL").counted(1),
        script("FCALL_RO").counted(1),
        container(
            script("FUNCTION"),
            script("DELETE"),
            script("DUMP"),
            script("FLUSH").options(1).dangerous(),
            script("KILL"),
            script("LIST").options(1),
            script("LOAD").options(1),
            script("RESTORE").options(2).dangerous(),
            script("STATS")),
        container(
            script("SCRIPT"),
            script("DEBUG").options(1),
            script("EXISTS"),
            script("FLUSH").options(1).dangerous(),
            script("KILL"),
            script("LOAD"),
            script("SHOW")),

        // Pub/Sub (channels are not keys)
        pubsub("PSUBSCRIBE"),
        pubsub("PUBLISH"),
        container(
            pubsub("PUBSUB"),
            pubsub("CHANNELS"),
            pubsub("NUMPAT"),
            pubsub("NUMSUB"),
            pubsub("SHARDCHANNELS"),
            pubsub("SHARDNUMSUB")),
        pubsub("PUNSUBSCRIBE"),
        pubsub("SPUBLISH"),
        pubsub("SSUBSCRIBE"),
        pubsub("SUBSCRIBE"),
        pubsub("SUNSUBSCRIBE"),
        pubsub("UNSUBSCRIBE"),

        // Transactions
        transaction("DISCARD"),
        transaction("EXEC"),
        transaction("MULTI"),
        transaction("UNWATCH"),
        transaction("WATCH").keys(0, -1, 1),

        // Cluster
        container(
            admin("CLUSTER"),
            admin("ADDSLOTS"),
            admin("ADDSLOTSRANGE"),
            admin("BUMPEPOCH"),
            admin("COUNT-FAILURE-REPORTS"),
            admin("COUNTKEYSINSLOT"),
            admin("DELSLOTS"),
            admin("DELSLOTSRANGE"),
            admin("FAILOVER").options(1).dangerous(),
            admin("FLUSHSLOTS").dangerous(),
            admin("FORGET").dangerous(),
            admin("GETKEYSINSLOT"),
            admin("INFO"),
            admin("KEYSLOT").keyAt(1),
            admin("LINKS"),
            admin("MEET"),
            admin("MYID"),
            admin("MYSHARDID"),
            admin("NODES"),
            admin("REPLICAS"),
            admin("REPLICATE"),
            admin("RESET").options(1).dangerous(),
            admin("SAVECONFIG"),
            admin("SET-CONFIG-EPOCH"),
            admin("SETSLOT").options(2),
            admin("SHARDS"),
            admin("SLAVES"),
            admin("SLOT-STATS").options(1),
            admin("SLOTS")),

        // Sentinel (clients ask it where the master is)
        container(
            admin("SENTINEL").redact(),
            admin("CKQUORUM"),
            admin("CONFIG").redact(),
            admin("FAILOVER").dangerous(),
            admin("GET-MASTER-ADDR-BY-NAME"),
            admin("GET-PRIMARY-ADDR-BY-NAME"),
            admin("INFO-CACHE"),
            admin("IS-MASTER-DOWN-BY-ADDR"),
            admin("MASTER"),
            admin("MASTERS"),
            admin("MONITOR"),
            admin("MYID"),
            admin("PENDING-SCRIPTS"),
            admin("PRIMARIES"),
            admin("PRIMARY"),
            admin("REMOVE").dangerous(),
            admin("REPLICAS"),
            admin("RESET").dangerous(),
            admin("SENTINELS"),
            admin("SET").redact(),
            admin("SIMULATE-FAILURE").dangerous(),
            admin("SLAVES")));
  }

  private static Definition read(String name) {
    return new Definition(name, CommandKind.READ, NOT_A_WRITE);
  }

  private static Definition write(String name, TtlOutcome ttl) {
    return new Definition(name, CommandKind.WRITE, ttl);
  }

  private static Definition admin(String name) {
    return new Definition(name, CommandKind.ADMIN, NOT_A_WRITE);
  }

  private static Definition connection(String name) {
    return new Definition(name, CommandKind.CONNECTION, NOT_A_WRITE);
  }

  private static Definition pubsub(String name) {
    return new Definition(name, CommandKind.PUBSUB, NOT_A_WRITE);
  }

  private static Definition script(String name) {
    return new Definition(name, CommandKind.SCRIPT, NOT_A_WRITE);
  }

  private static Definition transaction(String name) {
    return new Definition(name, CommandKind.TRANSACTION, NOT_A_WRITE);
  }

  /**
   * A command whose argument 0 is a subcommand; {@code generic} answers for unknown subcommands.
   */
  private static Definition container(Definition generic, Definition... subcommands) {
    for (Definition subcommand : subcommands) {
      subcommand.name = generic.name + ' ' + subcommand.name;
      subcommand.hasSubcommand = true;
    }
    generic.subcommands = subcommands;
    return generic;
  }
}
