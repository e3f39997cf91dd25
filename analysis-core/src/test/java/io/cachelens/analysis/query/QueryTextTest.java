package io.cachelens.analysis.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.command.CommandInfo;
import io.cachelens.analysis.command.TestCommands;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.prefix.PrefixConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryTextTest {

  private final CommandCatalog catalog = CommandCatalog.standard();
  private final KeyPrefixInferrer inferrer = new KeyPrefixInferrer(PrefixConfig.defaults());
  private final KeyRendering prefixes = KeyRendering.prefixOnly(inferrer);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          SET product:cache:123 secret EX 60               | SET product:cache:* ? EX ?
          set user:42 v px 100 nx                          | SET user:* ? PX ? NX
          SET k:1 EX                                       | SET k:* ?
          SET session:abc v KEEPTTL GET                    | SET session:abc ? KEEPTTL GET
          GET user:42                                      | GET user:*
          MSET user:1 a user:2 b cart:9 c                  | MSET user:* ? user:* ? cart:* ?
          MGET user:1 cart:2                               | MGET user:* cart:*
          DEL user:1 user:2 session:abc                    | DEL user:* user:* session:abc
          HSET user:42 email alice@example.com name Alice  | HSET user:* ? ? ? ?
          HSET user:42 type admin                          | HSET user:* ? ?
          ZADD board:weekly NX 10 alice                    | ZADD board:weekly NX ? ?
          ZRANGE board:weekly 0 10 REV WITHSCORES          | ZRANGE board:weekly ? ? REV WITHSCORES
          SCAN 0 MATCH user:* COUNT 100 TYPE hash          | SCAN ? MATCH ? COUNT ? TYPE ?
          HSCAN user:42 0 MATCH e* COUNT 10                | HSCAN user:* ? MATCH ? COUNT ?
          EVAL return 2 lock:1 lock:2 owner                | EVAL ? ? lock:* lock:* ?
          EVALSHA abc 0 lock:1                             | EVALSHA ? ? ?
          XREAD COUNT 10 BLOCK 0 STREAMS orders 0-0        | XREAD COUNT ? BLOCK ? STREAMS orders ?
          XADD orders MAXLEN ~ 1000 * item 42              | XADD orders MAXLEN ~ ? * ? ?
          GEOSEARCH geo:drivers FROMLONLAT 13 52 BYRADIUS 5 km ASC | GEOSEARCH geo:drivers FROMLONLAT ? ? BYRADIUS ? KM ASC
          SORT list:1 BY weight_* STORE out:1              | SORT list:* BY ? STORE out:*
          BITOP AND dest:1 a:1 b:1                         | BITOP AND dest:* a:* b:*
          OBJECT ENCODING user:42                          | OBJECT ENCODING user:*
          CLIENT SETNAME checkout-service                  | CLIENT SETNAME ?
          CLIENT SETINFO LIB-NAME jedis                    | CLIENT SETINFO LIB-NAME ?
          CLIENT NOSUCH x                                  | CLIENT ? ?
          PING                                             | PING
          PUBLISH orders:events hello                      | PUBLISH ? ?
          KEYS user:*                                      | KEYS ?
          UNKNOWNCMD a b                                   | UNKNOWNCMD ? ?
          """)
  void sanitizes(String commandLine, String expected) {
    assertThat(sanitize(commandLine, prefixes)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          AUTH s3cret                                      | AUTH
          AUTH default s3cret                              | AUTH
          HELLO 3 AUTH default s3cret SETNAME app          | HELLO
          MIGRATE host 6379 key 0 5000 AUTH s3cret         | MIGRATE
          MIGRATE host 6379 k 0 5000 AUTH2 user s3cret KEYS a b | MIGRATE
          CONFIG SET requirepass s3cret                    | CONFIG SET
          CONFIG SET masterauth s3cret                     | CONFIG SET
          ACL SETUSER alice on >s3cret ~* +@all            | ACL SETUSER
          SENTINEL SET mymaster auth-pass s3cret           | SENTINEL SET
          """)
  void credentialsNeverAppear(String commandLine, String expected) {
    String text = sanitize(commandLine, KeyRendering.full());

    assertThat(text).isEqualTo(expected).doesNotContain("s3cret");
  }

  @Test
  void fullKeyRendering() {
    assertThat(sanitize("SET user:42 secret EX 60", KeyRendering.full()))
        .isEqualTo("SET user:42 ? EX ?");
    assertThat(sanitize("MSET a:1 x b:2 y", KeyRendering.full())).isEqualTo("MSET a:1 ? b:2 ?");
  }

  @Test
  void binaryKeysAreEscaped() {
    CommandInfo get = catalog.lookup("GET");
    byte[] key = {'i', 'm', 'g', ':', 0x00, (byte) 0xFF, '\\', 0x1B, 'x'};
    byte[] utf8 = "caché:ユーザー".getBytes(StandardCharsets.UTF_8);

    assertThat(QueryText.sanitize(get, TestCommands.ACCESS, List.of(key), KeyRendering.full()))
        .isEqualTo("GET img:\\x00\\xFF\\\\\\x1Bx");
    assertThat(QueryText.sanitize(get, TestCommands.ACCESS, List.of(utf8), KeyRendering.full()))
        .isEqualTo("GET caché:ユーザー");
    assertThat(QueryText.sanitize(get, TestCommands.ACCESS, List.of(key), prefixes))
        .isEqualTo("GET img:*");
  }

  @Test
  void invalidUtf8IsEscapedBytewise() {
    // a lone continuation byte, a truncated sequence, an overlong encoding and a C1 control
    byte[] key = {
      (byte) 0x80, (byte) 0xE3, (byte) 0x81, (byte) 0xC0, (byte) 0xAF, (byte) 0xC2, (byte) 0x85
    };

    assertThat(KeyRendering.full().render(key)).isEqualTo("\\x80\\xE3\\x81\\xC0\\xAF\\xC2\\x85");
    assertThat(KeyRendering.full().render(null)).isEqualTo("?");
  }

  @Test
  void longKeysAreCut() {
    String key = "k".repeat(300);

    assertThat(KeyRendering.full().render(key.getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("k".repeat(256) + "…");
  }

  @Test
  void argumentsAreCappedAt64() {
    StringBuilder commandLine = new StringBuilder("DEL");
    for (int i = 0; i < 100; i++) {
      commandLine.append(" user:").append(i);
    }

    String text = sanitize(commandLine.toString(), prefixes);

    assertThat(text).startsWith("DEL user:* user:*").endsWith(" user:* …");
    assertThat(text.split(" ")).hasSize(1 + QueryText.MAX_ARGUMENTS + 1);
  }

  @Test
  void textIsCappedInLength() {
    CommandInfo mget = catalog.lookup("MGET");
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add(("k" + i + ":" + "x".repeat(250)).getBytes(StandardCharsets.US_ASCII));
    }

    String text = QueryText.sanitize(mget, TestCommands.ACCESS, keys, KeyRendering.full());

    assertThat(text.length()).isLessThanOrEqualTo(QueryText.MAX_LENGTH + 2);
    assertThat(text).endsWith("…");
  }

  @Test
  void unreadableArgumentsAndFailuresAreSafe() {
    CommandInfo set = catalog.lookup("SET");
    List<byte[]> withNulls = new ArrayList<>();
    withNulls.add(null);
    withNulls.add(null);
    withNulls.add(null);

    assertThat(QueryText.sanitize(set, TestCommands.ACCESS, withNulls, prefixes))
        .isEqualTo("SET ? ? ?");
    assertThat(QueryText.sanitize(set, TestCommands.THROWING, List.of(), prefixes))
        .isEqualTo("SET …");
    assertThat(QueryText.sanitize(set, null, List.of(), prefixes)).isEqualTo("SET");
    assertThat(QueryText.sanitize(null, TestCommands.ACCESS, List.of(), prefixes))
        .isEqualTo("<other>");
    assertThat(sanitize("GET user:42", null)).isEqualTo("GET ?");
    assertThat(sanitize("GET user:42", key -> null)).isEqualTo("GET ?");
  }

  @Test
  void prefixOnlyNeedsAnInferrer() {
    assertThatThrownBy(() -> KeyRendering.prefixOnly(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private String sanitize(String commandLine, KeyRendering keys) {
    CommandInfo info = TestCommands.info(catalog, commandLine);
    return QueryText.sanitize(info, TestCommands.ACCESS, TestCommands.arguments(commandLine), keys);
  }
}
