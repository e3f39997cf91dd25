package io.cachelens.analysis.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandInfoTest {

  private final CommandCatalog catalog = CommandCatalog.standard();

  @ParameterizedTest(name = "{0}: first={1} last={2} step={3} count={4}")
  @CsvSource({
    "GET, 0, 0, 1, -1",
    "MGET, 0, -1, 1, -1",
    "MSET, 0, -1, 2, -1",
    "DEL, 0, -1, 1, -1",
    "BLPOP, 0, -2, 1, -1",
    "LMOVE, 0, 1, 1, -1",
    "BITOP, 1, -1, 1, -1",
    "EVAL, 2, 2, 1, 1",
    "FCALL_RO, 2, 2, 1, 1",
    "ZUNIONSTORE, 0, 0, 1, 1",
    "LMPOP, 1, 1, 1, 0",
    "BLMPOP, 2, 2, 1, 1",
    "MIGRATE, 2, 2, 1, -1",
    "XREAD, -1, -1, 0, -1",
    "PING, -1, -1, 0, -1",
    "INFO, -1, -1, 0, -1",
    "KEYS, -1, -1, 0, -1",
    "SCAN, -1, -1, 0, -1",
    "PUBLISH, -1, -1, 0, -1"
  })
  void keyPositions(String name, int first, int last, int step, int keyCount) {
    CommandInfo info = catalog.lookup(name);

    assertThat(info.firstKeyIndex()).isEqualTo(first);
    assertThat(info.lastKeyIndex()).isEqualTo(last);
    assertThat(info.keyStep()).isEqualTo(step);
    assertThat(info.keyCountIndex()).isEqualTo(keyCount);
  }

  @Test
  void subcommandKeysCountTheSubcommandAsArgumentZero() {
    assertThat(catalog.lookup("OBJECT ENCODING").firstKeyIndex()).isEqualTo(1);
    assertThat(catalog.lookup("XGROUP CREATE").firstKeyIndex()).isEqualTo(1);
    assertThat(catalog.lookup("XINFO STREAM").firstKeyIndex()).isEqualTo(1);
    assertThat(catalog.lookup("MEMORY USAGE").firstKeyIndex()).isEqualTo(1);
    assertThat(catalog.lookup("CLIENT SETNAME").firstKeyIndex()).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0} -> keys at {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          GET k                                   | 0
          SET k v EX 10                           | 0
          MSET k1 v1 k2 v2 k3 v3                  | 0 2 4
          MSETNX k1 v1 k2 v2                      | 0 2
          DEL a b c                               | 0 1 2
          MGET a b                                | 0 1
          BLPOP a b 5                             | 0 1
          HSET h f v f2 v2                        | 0
          BITOP AND dest a b                      | 1 2 3
          EVAL script 2 k1 k2 arg1 arg2           | 2 3
          EVAL script 0 arg1 arg2                 |
          EVALSHA sha 1 k arg                     | 2
          EVAL script many k                      |
          EVAL script 99 k                        | 2
          ZUNIONSTORE dest 2 a b WEIGHTS 1 2      | 0 2 3
          ZINTER 2 a b WITHSCORES                 | 1 2
          LMPOP 2 a b LEFT COUNT 3                | 1 2
          BLMPOP 0 1 q RIGHT                      | 2
          SINTERCARD 3 a b c LIMIT 5              | 1 2 3
          XREAD COUNT 10 BLOCK 0 STREAMS s1 s2 0 0 | 5 6
          XREAD STREAMS s1 $                      | 1
          XREADGROUP GROUP streams c STREAMS s1 >  | 4
          XREADGROUP GROUP g c COUNT 1 NOACK STREAMS s1 s2 > > | 7 8
          SORT k BY w_* GET o_* STORE dest        | 0 6
          SORT k                                  | 0
          GEORADIUS g 1 2 10 km STORE d1          | 0 6
          GEORADIUSBYMEMBER g m 10 km STOREDIST d | 0 5
          MIGRATE host 6379 k 0 5000              | 2
          MIGRATE host 6379 "" 0 5000 COPY KEYS a b | 7 8
          OBJECT ENCODING k                       | 1
          XGROUP CREATE st g $ MKSTREAM           | 1
          WATCH a b                               | 0 1
          PING                                    |
          KEYS user:*                             |
          PUBLISH channel message                 |
          CLIENT SETNAME app                      |
          """)
  void isKey(String commandLine, String expectedKeys) {
    CommandInfo info = TestCommands.info(catalog, commandLine);
    List<byte[]> arguments = TestCommands.arguments(commandLine);
    if (commandLine.contains("\"\"")) {
      arguments = new ArrayList<>(arguments);
      arguments.set(2, new byte[0]);
    }

    List<String> keys = new ArrayList<>();
    for (int i = -1; i <= arguments.size(); i++) {
      if (info.isKey(TestCommands.ACCESS, arguments, i)) {
        keys.add(String.valueOf(i));
      }
    }

    assertThat(String.join(" ", keys)).isEqualTo(expectedKeys == null ? "" : expectedKeys);
    int first = info.firstKeyIndex(TestCommands.ACCESS, arguments);
    assertThat(first).isEqualTo(keys.isEmpty() ? -1 : Integer.parseInt(keys.get(0)));
  }

  @Test
  void movableKeys() {
    assertThat(catalog.lookup("EVAL").movableKeys()).isTrue();
    assertThat(catalog.lookup("XREAD").movableKeys()).isTrue();
    assertThat(catalog.lookup("SORT").movableKeys()).isTrue();
    assertThat(catalog.lookup("MIGRATE").movableKeys()).isTrue();
    assertThat(catalog.lookup("MSET").movableKeys()).isFalse();
    assertThat(catalog.lookup("PING").movableKeys()).isFalse();
  }

  @Test
  void failingAccessNeverThrows() {
    CommandInfo eval = catalog.lookup("EVAL");
    CommandInfo get = catalog.lookup("GET");

    assertThat(eval.isKey(TestCommands.THROWING, List.of(), 2)).isFalse();
    assertThat(eval.firstKeyIndex(TestCommands.THROWING, List.of())).isEqualTo(-1);
    assertThat(get.isKey(null, List.of(), 0)).isFalse();
    assertThat(eval.isKey(TestCommands.ACCESS, List.of(), 2)).isFalse();
  }

  @Test
  void optionIndexMarksWhereKeywordsMayStart() {
    assertThat(catalog.lookup("SET").optionIndex()).isEqualTo(2);
    assertThat(catalog.lookup("GETEX").optionIndex()).isEqualTo(1);
    assertThat(catalog.lookup("ZRANGE").optionIndex()).isEqualTo(3);
    assertThat(catalog.lookup("HSET").optionIndex()).isEqualTo(-1);
    assertThat(catalog.lookup("MSET").optionIndex()).isEqualTo(-1);
  }

  @Test
  void toStringIsTheName() {
    assertThat(catalog.lookup("CONFIG SET")).hasToString("CONFIG SET");
  }
}
