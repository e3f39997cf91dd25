package io.cachelens.analysis.command;

/** What a command does to the expiry (TTL) of the key it writes. */
public enum TtlOutcome {
  /** Not a write: reads, administration, scripts, and everything whose effect is unknown. */
  NOT_A_WRITE,
  /**
   * The write gives the key a TTL: {@code SET} with {@code EX}/{@code PX}/{@code EXAT}/{@code
   * PXAT}, {@code SETEX}, {@code PSETEX}, {@code GETEX} with those options, {@code RESTORE} with a
   * positive ttl, and {@code EXPIRE}, {@code PEXPIRE}, {@code EXPIREAT}, {@code PEXPIREAT}.
   */
  SET,
  /**
   * The write may create the key, or leaves it, without TTL: plain {@code SET}, {@code MSET},
   * {@code GETSET}, {@code SETNX}, {@code HSET}, {@code LPUSH}, {@code SADD}, {@code ZADD}, {@code
   * XADD}, {@code INCR}, {@code APPEND}, {@code PFADD}, {@code GEOADD}, the {@code *STORE}
   * commands, {@code GETEX PERSIST}, {@code PERSIST}.
   */
  NONE,
  /**
   * The write leaves the key's expiry as it was: {@code SET ... KEEPTTL}, {@code GETEX} without
   * options, writes that cannot create a key ({@code DEL}, {@code LPOP}, {@code HDEL}, {@code
   * LPUSHX}, {@code LSET}...), and those that carry the TTL along ({@code RENAME}, {@code MOVE},
   * {@code COPY}, which copies the source's TTL).
   */
  KEPT
}
