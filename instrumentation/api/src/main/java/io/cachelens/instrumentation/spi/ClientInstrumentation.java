package io.cachelens.instrumentation.spi;

import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One instrumentation module (a client family and version range), found by the agent with {@link
 * java.util.ServiceLoader}.
 *
 * <p>Advice that a module adds may reference only the client's own classes and the bootstrap
 * package {@code io.cachelens.instrumentation.api}: the module's other classes are not visible from
 * the client's class loader.
 */
public interface ClientInstrumentation {

  /**
   * The module's name, e.g. {@code "jedis-4"}; used in logs and in {@code
   * cachelens.instrumentation.<name>.enabled}.
   */
  String name();

  /**
   * The binary names of every class the module transforms (e.g. {@code
   * redis.clients.jedis.Connection}). The agent hands only these to Byte Buddy; every other class,
   * including the rest of the client, loads untouched and unexamined, which keeps start-up cheap
   * for clients that load hundreds of classes.
   */
  Set<String> instrumentedTypes();

  /**
   * Registers the module's {@link io.cachelens.instrumentation.api.CommandReader} and adds its type
   * matchers and advice. Advice must catch its own throwables ({@code suppress = Throwable.class}).
   */
  AgentBuilder instrument(AgentBuilder builder);
}
