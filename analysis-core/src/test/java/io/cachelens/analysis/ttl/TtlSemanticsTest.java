package io.cachelens.analysis.ttl;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.command.CommandInfo;
import io.cachelens.analysis.command.TestCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TtlSemanticsTest {
  private static final CommandCatalog CATALOG = CommandCatalog.standard();
  private static final CommandInfo EXPIRE = CATALOG.lookup("EXPIRE");
  private static final CommandInfo PEXPIRE = CATALOG.lookup("PEXPIRE");
  private static final CommandInfo EXPIREAT = CATALOG.lookup("EXPIREAT");
  private static final CommandInfo PEXPIREAT = CATALOG.lookup("PEXPIREAT");
  // 2026-01-01T00:00:00.250Z
  private static final long NOW = 1_767_225_600_250L;

  private static byte[] arg(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void relativeExpiriesAreSecondsOrMilliseconds() {
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("60"), NOW)).isEqualTo(60_000);
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("1500"), NOW)).isEqualTo(1_500);
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("0"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("0"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("007"), NOW)).isEqualTo(7_000);
  }

  @Test
  void absoluteExpiriesCountFromNow() {
    long inAMinute = (NOW + 60_000) / 1000;
    assertThat(TtlSemantics.expiryMillis(EXPIREAT, arg(Long.toString(inAMinute)), NOW))
        .isEqualTo(inAMinute * 1000 - NOW)
        .isEqualTo(59_750);
    assertThat(TtlSemantics.expiryMillis(PEXPIREAT, arg(Long.toString(NOW + 1_234)), NOW))
        .isEqualTo(1_234);
  }

  @Test
  void anAbsoluteExpiryInThePastDeletesTheKey() {
    assertThat(TtlSemantics.expiryMillis(EXPIREAT, arg("1000"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(PEXPIREAT, arg(Long.toString(NOW - 1)), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(PEXPIREAT, arg(Long.toString(NOW)), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(EXPIREAT, arg("0"), NOW)).isZero();
  }

  @Test
  void anArgumentThatIsNotAPlainDecimalIsUnknown() {
    for (CommandInfo command : new CommandInfo[] {EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT}) {
      assertThat(TtlSemantics.expiryMillis(command, arg("abc"), NOW)).isEqualTo(-1);
      assertThat(TtlSemantics.expiryMillis(command, arg(""), NOW)).isEqualTo(-1);
      assertThat(TtlSemantics.expiryMillis(command, null, NOW)).isEqualTo(-1);
      assertThat(TtlSemantics.expiryMillis(command, arg("1.5"), NOW)).isEqualTo(-1);
      assertThat(TtlSemantics.expiryMillis(command, arg("+5"), NOW)).isEqualTo(-1);
      assertThat(TtlSemantics.expiryMillis(command, arg(" 5"), NOW)).isEqualTo(-1);
      assertThat(TtlSemantics.expiryMillis(command, arg("5s"), NOW)).isEqualTo(-1);
    }
  }

  @Test
  void aZeroOrNegativeTimeDeletesTheKey() {
    // Redis deletes the key for EXPIRE k -5 as for EXPIRE k 0: the expiry is 0, not unknown.
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("-1"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("-5"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("-100"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(EXPIREAT, arg("-1"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(PEXPIREAT, arg("-1"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("-0"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("-999999999999999999"), NOW)).isZero();
    // A lone sign, or more than 18 digits after it, is not read.
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("-"), NOW)).isEqualTo(-1);
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("-1000000000000000000"), NOW)).isEqualTo(-1);
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("--5"), NOW)).isEqualTo(-1);
  }

  @Test
  void onlyTheExpireFamilyHasAnExpiryTime() {
    assertThat(TtlSemantics.expiryMillis(CATALOG.lookup("SETEX"), arg("10"), NOW)).isEqualTo(-1);
    assertThat(TtlSemantics.expiryMillis(CATALOG.lookup("GET"), arg("10"), NOW)).isEqualTo(-1);
    assertThat(TtlSemantics.expiryMillis(null, arg("10"), NOW)).isEqualTo(-1);
  }

  @Test
  void deletesAreDelAndExpiriesThatAreNotInTheFuture() {
    for (String line :
        List.of(
            "DEL k",
            "UNLINK a b",
            "GETDEL k",
            "DELIFEQ k v",
            "EXPIRE k 0",
            "EXPIRE k -5",
            "PEXPIRE k -1",
            "EXPIRE k -5 NX",
            "EXPIREAT k 1000",
            "PEXPIREAT k " + NOW,
            "EXPIREAT k " + NOW / 1000)) {
      assertThat(deletes(line)).as(line).isTrue();
    }
    for (String line :
        List.of(
            "EXPIRE k 10",
            "PEXPIRE k 1",
            "EXPIREAT k " + (NOW / 1000 + 1),
            "PEXPIREAT k " + (NOW + 1),
            "EXPIRE k abc",
            "EXPIRE k",
            "SET k v",
            "SET k v EX 0",
            "PERSIST k",
            "GET k")) {
      assertThat(deletes(line)).as(line).isFalse();
    }
    CommandInfo expire = CATALOG.lookup("EXPIRE");
    assertThat(TtlSemantics.deletesKey(expire, TestCommands.THROWING, List.of(), NOW)).isFalse();
    assertThat(TtlSemantics.deletesKey(expire, null, null, NOW)).isFalse();
    assertThat(TtlSemantics.deletesKey(null, TestCommands.ACCESS, List.of(), NOW)).isFalse();
  }

  private static boolean deletes(String commandLine) {
    return TtlSemantics.deletesKey(
        TestCommands.info(CATALOG, commandLine),
        TestCommands.ACCESS,
        TestCommands.arguments(commandLine),
        NOW);
  }

  @Test
  void hugeArgumentsSaturateOrAreUnknown() {
    String eighteenNines = "999999999999999999";
    // Seconds times 1000 would overflow: saturates instead of wrapping to a negative TTL.
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg(eighteenNines), NOW))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(TtlSemantics.expiryMillis(EXPIREAT, arg(eighteenNines), NOW))
        .isEqualTo(Long.MAX_VALUE - NOW);
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg(eighteenNines), NOW))
        .isEqualTo(999_999_999_999_999_999L);
    assertThat(TtlSemantics.expiryMillis(PEXPIREAT, arg(eighteenNines), NOW))
        .isEqualTo(999_999_999_999_999_999L - NOW);
    // The largest value that still fits times 1000.
    long fits = Long.MAX_VALUE / 1000;
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg(Long.toString(fits)), NOW))
        .isEqualTo(fits * 1000);
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg(Long.toString(fits + 1)), NOW))
        .isEqualTo(Long.MAX_VALUE);
    // More than 18 digits is not read (it could overflow a long).
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("1000000000000000000"), NOW)).isEqualTo(-1);
    assertThat(TtlSemantics.expiryMillis(EXPIRE, arg("99999999999999999999999"), NOW))
        .isEqualTo(-1);
  }

  @Test
  void classifiesTheExpireFamily() {
    assertThat(TtlSemantics.isExpire(EXPIRE)).isTrue();
    assertThat(TtlSemantics.isExpire(PEXPIRE)).isTrue();
    assertThat(TtlSemantics.isExpire(EXPIREAT)).isTrue();
    assertThat(TtlSemantics.isExpire(PEXPIREAT)).isTrue();
    assertThat(TtlSemantics.isExpire(CATALOG.lookup("expire"))).isTrue();
    assertThat(TtlSemantics.isExpire(CATALOG.lookup("SET"))).isFalse();
    assertThat(TtlSemantics.isExpire(CATALOG.lookup("EXPIRETIME"))).isFalse();
    assertThat(TtlSemantics.isExpire(CATALOG.lookup("PERSIST"))).isFalse();

    assertThat(TtlSemantics.absoluteExpiry(EXPIREAT)).isTrue();
    assertThat(TtlSemantics.absoluteExpiry(PEXPIREAT)).isTrue();
    assertThat(TtlSemantics.absoluteExpiry(EXPIRE)).isFalse();
    assertThat(TtlSemantics.absoluteExpiry(PEXPIRE)).isFalse();

    assertThat(TtlSemantics.millisecondExpiry(PEXPIRE)).isTrue();
    assertThat(TtlSemantics.millisecondExpiry(PEXPIREAT)).isTrue();
    assertThat(TtlSemantics.millisecondExpiry(EXPIRE)).isFalse();
    assertThat(TtlSemantics.millisecondExpiry(EXPIREAT)).isFalse();
  }

  @Test
  void writesThatReplaceTheValueDropTheExpiry() {
    for (String name :
        new String[] {"SET", "MSET", "GETSET", "PERSIST", "SUNIONSTORE", "ZUNIONSTORE", "BITOP"}) {
      assertThat(TtlSemantics.keepsExistingTtl(CATALOG.lookup(name))).as(name).isFalse();
    }
  }

  @Test
  void writesInPlaceKeepTheExpiry() {
    for (String name :
        new String[] {"HSET", "INCR", "INCRBY", "LPUSH", "RPUSH", "SADD", "ZADD", "APPEND"}) {
      assertThat(TtlSemantics.keepsExistingTtl(CATALOG.lookup(name))).as(name).isTrue();
    }
  }

  @Test
  void readsOnlyDecimalsOfAtMostEighteenDigits() {
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("0"), NOW)).isZero();
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("123456789012345678"), NOW))
        .isEqualTo(123_456_789_012_345_678L);
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("1234567890123456789"), NOW)).isEqualTo(-1);
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("12/4"), NOW)).isEqualTo(-1);
    assertThat(TtlSemantics.expiryMillis(PEXPIRE, arg("12:4"), NOW)).isEqualTo(-1);
  }
}
