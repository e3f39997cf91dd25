package io.cachelens.instrumentation.spi;

import java.util.List;
import java.util.Set;

/**
 * One instrumentation module (a client family and version range); the agent lists the modules it
 * carries.
 *
 * <p>Advice that a module adds may reference only the client's own classes and the event API {@code
 * io.cachelens.instrumentation.api}. The module's other classes are loaded by the bootstrap loader
 * with the rest of the agent, where no client class is visible: they must reach client objects
 * through method handles, never through compile-time client types.
 */
public interface ClientInstrumentation {

  /**
   * The module's name, e.g. {@code "jedis-4"}; used in logs and in {@code
   * cachelens.instrumentation.<name>.enabled}.
   */
  String name();

  /**
   * The binary names of every class the module transforms (e.g. {@code
   * redis.clients.jedis.Connection}): the names in {@link #typeInstrumentations()}, given apart so
   * premain can read them without loading Byte Buddy. The agent hands only these classes to the
   * transformer; every other class, including the rest of the client, loads untouched and
   * unexamined, which keeps start-up cheap for clients that load hundreds of classes.
   */
  Set<String> instrumentedTypes();

  /**
   * Every class the module transforms and how. Advice must catch its own throwables ({@code
   * suppress = Throwable.class}).
   */
  List<TypeInstrumentation> typeInstrumentations();

  /**
   * Registers the module's {@link io.cachelens.instrumentation.api.CommandReader}; called once,
   * before any of its classes is transformed.
   */
  void registerCommandReader();
}
