package io.cachelens.instrumentation.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading command objects built the way Lettuce's own command builder builds them. */
class LettuceCommandReaderTest {
  private final LettuceCommandReader reader = LettuceCommandReader.INSTANCE;

  @Test
  void keywordArgumentsReadAsTheirBytes() {
    CommandArgs<String, String> args =
        new CommandArgs<>(StringCodec.UTF8).addKey("session:user:1").add(CommandType.PERSIST);
    Command<String, String, String> getex =
        new Command<>(CommandType.GETEX, new StatusOutput<>(StringCodec.UTF8), args);

    assertThat(reader.argumentCount(getex)).isEqualTo(2);
    assertThat(text(reader.argument(getex, 0))).isEqualTo("session:user:1");
    assertThat(text(reader.argument(getex, 1))).isEqualTo("PERSIST");
  }

  @Test
  void subcommandKeywordsAndPlainStringsAreBothReadable() {
    CommandArgs<String, String> args =
        new CommandArgs<>(StringCodec.UTF8).add(CommandKeyword.SETNAME).add("checkout");
    Command<String, String, String> client =
        new Command<>(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args);

    assertThat(text(reader.argument(client, 0))).isEqualTo("SETNAME");
    assertThat(text(reader.argument(client, 1))).isEqualTo("checkout");
  }

  @Test
  void passwordsAreNeverRead() {
    CommandArgs<String, String> args =
        new CommandArgs<>(StringCodec.UTF8).add("default").add("secret".toCharArray());
    Command<String, String, String> auth =
        new Command<>(CommandType.AUTH, new StatusOutput<>(StringCodec.UTF8), args);

    assertThat(text(reader.argument(auth, 0))).isEqualTo("default");
    assertThat(reader.argument(auth, 1)).isNull();
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
