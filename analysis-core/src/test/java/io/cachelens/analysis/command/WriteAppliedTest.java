package io.cachelens.analysis.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WriteAppliedTest {

  private final CommandCatalog catalog = CommandCatalog.standard();

  /**
   * A reply as a client decodes it, from its spelling in the table: {@code 0L}/{@code 1L} Jedis
   * integers, {@code false}/{@code true} Lettuce integers, {@code nil}, {@code bytes:OK} a Jedis
   * status or bulk reply, {@code text:OK} a Lettuce one, {@code unknown} no reply handed over.
   */
  private static Object reply(String spelling) {
    if (spelling.endsWith("L")) {
      return Long.parseLong(spelling.substring(0, spelling.length() - 1));
    }
    if (spelling.startsWith("bytes:")) {
      return spelling.substring("bytes:".length()).getBytes(StandardCharsets.UTF_8);
    }
    if (spelling.startsWith("text:")) {
      return spelling.substring("text:".length());
    }
    return switch (spelling) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "nil" -> null;
      case "unknown" -> CommandCatalog.REPLY_UNKNOWN;
      case "int0" -> 0;
      default -> throw new IllegalArgumentException(spelling);
    };
  }

  @ParameterizedTest(name = "{0} replying {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # integer replies: 0 says nothing was written
          SETNX k v                    | 0L           | false
          SETNX k v                    | 1L           | true
          SETNX k v                    | false        | false
          SETNX k v                    | true         | true
          SETNX k v                    | int0         | false
          MSETNX a 1 b 2               | 0L           | false
          MSETNX a 1 b 2               | 1L           | true
          HSETNX h f v                 | 0L           | false
          HSETNX h f v                 | false        | false
          HSETNX h f v                 | 1L           | true
          EXPIRE k 10                  | 0L           | false
          EXPIRE k 10 NX               | false        | false
          EXPIRE k 10                  | 1L           | true
          PEXPIRE k 100                | 0L           | false
          EXPIREAT k 1706659200        | 0L           | false
          PEXPIREAT k 1706659200000    | 0L           | false
          EXPIRE k -5                  | 0L           | false
          EXPIRE k -5                  | 1L           | true
          PERSIST k                    | 0L           | false
          PERSIST k                    | 1L           | true
          SMOVE a b m                  | 0L           | false
          DELIFEQ k v                  | 0L           | false
          # nil says the source or key was missing
          GETEX k EX 10                | nil          | false
          GETEX k EX 10                | bytes:value  | true
          GETEX k PERSIST              | nil          | false
          LMOVE a b LEFT RIGHT         | nil          | false
          LMOVE a b LEFT RIGHT         | text:x       | true
          RPOPLPUSH a b                | nil          | false
          BLMOVE a b LEFT RIGHT 1      | nil          | false
          BRPOPLPUSH a b 1             | nil          | false
          # SET: conditions without GET reply OK or nil
          SET k v NX                   | nil          | false
          SET k v NX                   | bytes:OK     | true
          SET k v NX                   | text:OK      | true
          SET k v nx EX 10             | nil          | false
          SET k v EX 10 NX             | nil          | false
          SET k v XX                   | nil          | false
          SET k v XX                   | bytes:OK     | true
          SET k v IFEQ old             | nil          | false
          SET k v IFNE old             | bytes:OK     | true
          SET k v IFDEQ 0123abcd       | nil          | false
          SET k v IFDNE 0123abcd       | nil          | false
          # SET with GET replies the old value
          SET k v NX GET               | nil          | true
          SET k v NX GET               | bytes:old    | false
          SET k v GET NX               | text:old     | false
          SET k v XX GET               | nil          | false
          SET k v XX GET               | bytes:old    | true
          SET k v IFEQ old GET         | nil          | true
          SET k v IFEQ old GET         | bytes:new    | true
          # an option's value is no option
          SET k v IFEQ NX              | bytes:OK     | true
          SET k v IFEQ GET             | nil          | false
          # unconditional SET is always applied, even when GET finds no old value
          SET k v                      | bytes:OK     | true
          SET k v                      | nil          | true
          SET k v GET                  | nil          | true
          SET k v EX 10                | nil          | true
          SET k v KEEPTTL              | bytes:OK     | true
          # commands without a reply rule
          HSET h f v                   | 0L           | true
          SADD s m                     | 0L           | true
          INCR k                       | 0L           | true
          DEL k                        | 0L           | true
          LPUSH l v                    | nil          | true
          GET k                        | nil          | true
          # inside MULTI every command replies QUEUED
          SET k v NX GET               | bytes:QUEUED | true
          SET k v NX GET               | text:QUEUED  | true
          SETNX k v                    | bytes:QUEUED | true
          # no reply handed over
          SETNX k v                    | unknown      | true
          SET k v NX                   | unknown      | true
          SET k v NX GET               | unknown      | true
          GETEX k EX 10                | unknown      | true
          EXPIRE k 10                  | unknown      | true
          # replies of a type it does not know
          SETNX k v                    | bytes:0      | true
          EXPIRE k 10                  | text:0       | true
          SETNX k v                    | nil          | true
          """)
  void applied(String commandLine, String replySpelling, boolean expected) {
    CommandInfo info = TestCommands.info(catalog, commandLine);
    List<byte[]> arguments = TestCommands.arguments(commandLine);

    assertThat(catalog.writeApplied(info, TestCommands.ACCESS, arguments, reply(replySpelling)))
        .isEqualTo(expected);
  }

  @Test
  void unreadableArgumentsCountAsApplied() {
    CommandInfo set = catalog.lookup("SET");

    assertThat(catalog.writeApplied(set, TestCommands.THROWING, List.of(), null)).isTrue();
    assertThat(catalog.writeApplied(set, null, null, null)).isTrue();
    assertThat(catalog.writeApplied(null, TestCommands.ACCESS, List.of(), null)).isTrue();
    // Rules that read only the reply need no arguments.
    assertThat(catalog.writeApplied(catalog.lookup("SETNX"), null, null, 0L)).isFalse();
  }

  @Test
  void unknownCommandsAreApplied() {
    CommandInfo unknown = catalog.lookup("NOSUCHWRITE");

    assertThat(catalog.writeApplied(unknown, TestCommands.ACCESS, List.of(), 0L)).isTrue();
    assertThat(catalog.writeApplied(unknown, TestCommands.ACCESS, List.of(), null)).isTrue();
  }
}
