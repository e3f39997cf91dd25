package io.cachelens.analysis.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TtlOutcomeTest {
  // 2024-01-01T00:00:00Z: what EXPIREAT and PEXPIREAT times in the table are compared with.
  private static final long NOW = 1_704_067_200_000L;

  private final CommandCatalog catalog = CommandCatalog.standard();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # SET and its options
          SET k v                              | NONE
          set k v ex 10                        | SET
          SET k v EX 10                        | SET
          SET k v PX 1500                      | SET
          SET k v EXAT 1706659200              | SET
          SET k v PXAT 1706659200000           | SET
          SET k v NX EX 10                     | SET
          SET k v XX GET PX 10                 | SET
          SET k v KEEPTTL                      | KEPT
          SET k v xx keepttl                   | KEPT
          SET k v NX                           | NONE
          SET k v GET                          | NONE
          SET k EX                             | NONE
          SET k KEEPTTL                        | NONE
          SET k v IFEQ EX                      | NONE
          SET k v IFEQ old EX 10               | SET
          SET k v EXTRA                        | NONE
          # fixed TTL setters
          SETEX k 10 v                         | SET
          PSETEX k 1000 v                      | SET
          EXPIRE k 10                          | SET
          EXPIRE k 10 NX                       | SET
          PEXPIRE k 10000                      | SET
          EXPIREAT k 1706659200                | SET
          PEXPIREAT k 1706659200000            | SET
          EXPIRE k abc                         | SET
          EXPIRE k                             | SET
          # an expiry that is not in the future deletes the key, as DEL does
          EXPIRE k 0                           | KEPT
          EXPIRE k -5                          | KEPT
          EXPIRE k -5 GT                       | KEPT
          PEXPIRE k 0                          | KEPT
          PEXPIRE k -1                         | KEPT
          EXPIREAT k 1704067200                | KEPT
          EXPIREAT k 1000                      | KEPT
          EXPIREAT k -1                        | KEPT
          PEXPIREAT k 1704067200000            | KEPT
          PEXPIREAT k 1704067199999            | KEPT
          PEXPIREAT k 1704067200001            | SET
          EXPIREAT k 1704067201                | SET
          # GETEX
          GETEX k                              | KEPT
          GETEX k EX 10                        | SET
          GETEX k px 10                        | SET
          GETEX k EXAT 1706659200              | SET
          GETEX k PXAT 1706659200000           | SET
          GETEX k PERSIST                      | NONE
          GETEX k persist                      | NONE
          # RESTORE's ttl argument
          RESTORE k 0 payload                  | NONE
          RESTORE k 5000 payload               | SET
          RESTORE k 1706659200000 payload ABSTTL | SET
          RESTORE k -1 payload                 | NONE
          RESTORE k abc payload                | NONE
          RESTORE k                            | NONE
          # writes that leave or create keys without TTL
          MSET a 1 b 2                         | NONE
          MSETNX a 1 b 2                       | NONE
          GETSET k v                           | NONE
          SETNX k v                            | NONE
          SETRANGE k 0 v                       | NONE
          APPEND k v                           | NONE
          INCR k                               | NONE
          INCRBY k 5                           | NONE
          INCRBYFLOAT k 0.5                    | NONE
          DECR k                               | NONE
          DECRBY k 5                           | NONE
          HSET h f v                           | NONE
          HMSET h f v                          | NONE
          HSETNX h f v                         | NONE
          HINCRBY h f 1                        | NONE
          LPUSH l v                            | NONE
          RPUSH l v                            | NONE
          SADD s m                             | NONE
          ZADD z 1 m                           | NONE
          ZINCRBY z 1 m                        | NONE
          XADD st * f v                        | NONE
          PFADD hll a b                        | NONE
          PFMERGE dest a b                     | NONE
          GEOADD g 13.4 52.5 berlin            | NONE
          SETBIT b 7 1                         | NONE
          BITOP AND dest a b                   | NONE
          SUNIONSTORE dest a b                 | NONE
          SINTERSTORE dest a b                 | NONE
          SDIFFSTORE dest a b                  | NONE
          ZUNIONSTORE dest 2 a b               | NONE
          ZINTERSTORE dest 2 a b               | NONE
          ZDIFFSTORE dest 2 a b                | NONE
          ZRANGESTORE dest src 0 -1            | NONE
          GEOSEARCHSTORE dest src FROMMEMBER m BYRADIUS 10 km | NONE
          LMOVE a b LEFT RIGHT                 | NONE
          RPOPLPUSH a b                        | NONE
          SMOVE a b m                          | NONE
          PERSIST k                            | NONE
          XGROUP CREATE st g $ MKSTREAM        | NONE
          # SORT and GEORADIUS only write with STORE
          SORT k                               | NOT_A_WRITE
          SORT k LIMIT 0 10 ALPHA STORE dest   | NONE
          GEORADIUS g 13.4 52.5 10 km          | NOT_A_WRITE
          GEORADIUS g 13.4 52.5 10 km STORE d  | NONE
          GEORADIUSBYMEMBER g m 10 km STOREDIST d | NONE
          # writes that keep the expiry as it was
          DEL k                                | KEPT
          UNLINK a b                           | KEPT
          GETDEL k                             | KEPT
          LPOP l                               | KEPT
          LPUSHX l v                           | KEPT
          LSET l 0 v                           | KEPT
          HDEL h f                             | KEPT
          SREM s m                             | KEPT
          ZREM z m                             | KEPT
          XDEL st 1-0                          | KEPT
          XACK st g 1-0                        | KEPT
          RENAME a b                           | KEPT
          RENAMENX a b                         | KEPT
          COPY a b                             | KEPT
          MOVE k 1                             | KEPT
          HEXPIRE h 10 FIELDS 1 f              | KEPT
          # not writes
          GET k                                | NOT_A_WRITE
          MGET a b                             | NOT_A_WRITE
          HGETALL h                            | NOT_A_WRITE
          TTL k                                | NOT_A_WRITE
          EXISTS k                             | NOT_A_WRITE
          SCAN 0                               | NOT_A_WRITE
          PING                                 | NOT_A_WRITE
          EVAL script 1 k                      | NOT_A_WRITE
          MULTI                                | NOT_A_WRITE
          FLUSHALL                             | NOT_A_WRITE
          CONFIG SET maxmemory 1gb             | NOT_A_WRITE
          NOSUCHCOMMAND k                      | NOT_A_WRITE
          """)
  void outcome(String commandLine, TtlOutcome expected) {
    CommandInfo info = TestCommands.info(catalog, commandLine);
    List<byte[]> arguments = TestCommands.arguments(commandLine);

    assertThat(catalog.ttlOutcome(info, TestCommands.ACCESS, arguments, NOW)).isEqualTo(expected);
  }

  @Test
  void anExpireAtIsComparedWithTheClock() {
    CommandInfo expireAt = catalog.lookup("PEXPIREAT");
    long now = System.currentTimeMillis();
    List<byte[]> past = TestCommands.arguments("PEXPIREAT k " + (now - 60_000));
    List<byte[]> future = TestCommands.arguments("PEXPIREAT k " + (now + 3_600_000));

    assertThat(catalog.ttlOutcome(expireAt, TestCommands.ACCESS, past)).isEqualTo(TtlOutcome.KEPT);
    assertThat(catalog.ttlOutcome(expireAt, TestCommands.ACCESS, future)).isEqualTo(TtlOutcome.SET);
    // The relative forms need no clock.
    assertThat(
            catalog.ttlOutcome(
                catalog.lookup("EXPIRE"),
                TestCommands.ACCESS,
                TestCommands.arguments("EXPIRE k -5")))
        .isEqualTo(TtlOutcome.KEPT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SET k v EX 10, NONE",
    "GETEX k EX 10, KEPT",
    "RESTORE k 10 p, NONE",
    "DEL k, KEPT",
    "EXPIRE k -5, SET"
  })
  void unreadableArgumentsFallBackWithoutThrowing(String commandLine, TtlOutcome expected) {
    CommandInfo info = TestCommands.info(catalog, commandLine);

    assertThat(catalog.ttlOutcome(info, TestCommands.THROWING, List.of())).isEqualTo(expected);
    assertThat(catalog.ttlOutcome(info, null, null)).isEqualTo(expected);
  }
}
