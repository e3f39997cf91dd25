package io.cachelens.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * The reader's call sites bind to the first Jedis they see: commands of a second Jedis, in its own
 * class loader, must still be read right, before and after the first one.
 */
class JedisCommandReaderTest {
  private final JedisCommandReader reader = JedisCommandReader.INSTANCE;

  @Test
  void readsCommandsOfTwoJedisCopiesInTurn() throws Throwable {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Paths.get(entry).toUri().toURL());
    }
    try (TestAgent.Uninstrumented otherLoader =
        new TestAgent.Uninstrumented(urls.toArray(new URL[0]))) {
      Object foreign = foreignSet(otherLoader, "other:key:1", "v");
      CommandArguments own = new CommandArguments(Protocol.Command.GET).key("own:key:2");
      for (int round = 0; round < 3; round++) {
        assertReads(foreign, "SET", "other:key:1", 2);
        assertThat(reader.commandType(own)).isSameAs(Protocol.Command.GET);
        assertThat(reader.argumentCount(own)).isEqualTo(1);
        assertThat(text(reader.argument(own, 0))).isEqualTo("own:key:2");
        assertThat(reader.argument(own, 1)).isNull();
      }
    }
  }

  private void assertReads(Object command, String name, String key, int arguments) {
    Object type = reader.commandType(command);
    assertThat(type.getClass().getClassLoader()).isNotSameAs(Protocol.class.getClassLoader());
    assertThat(reader.commandName(type)).isEqualTo(name);
    assertThat(reader.argumentCount(command)).isEqualTo(arguments);
    assertThat(text(reader.argument(command, 0))).isEqualTo(key);
    assertThat(reader.argument(command, arguments)).isNull();
  }

  /**
   * {@code new CommandArguments(Protocol.Command.SET).key(key).add(value)} of that loader's Jedis.
   */
  private static Object foreignSet(ClassLoader loader, String key, String value) throws Throwable {
    Class<?> arguments = Class.forName("redis.clients.jedis.CommandArguments", true, loader);
    Class<?> commandType =
        Class.forName("redis.clients.jedis.commands.ProtocolCommand", true, loader);
    Class<?> command = Class.forName("redis.clients.jedis.Protocol$Command", true, loader);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    MethodHandle create =
        lookup.findConstructor(arguments, MethodType.methodType(void.class, commandType));
    MethodHandle addKey =
        lookup.findVirtual(arguments, "key", MethodType.methodType(arguments, Object.class));
    MethodHandle add =
        lookup.findVirtual(arguments, "add", MethodType.methodType(arguments, Object.class));
    Object set = command.getField("SET").get(null);
    Object created = create.invoke(set);
    addKey.invoke(created, key);
    add.invoke(created, value);
    return created;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
