package io.cachelens.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.spi.ClientInstrumentation;
import io.cachelens.instrumentation.spi.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.description.modifier.FieldPersistence;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Jedis 4.x to 8.x: the releases built on {@code CommandObject} and {@code CommandArguments}.
 *
 * <p>Everything Jedis writes goes through {@code Connection.sendCommand(CommandArguments)} and
 * every reply it reads through {@code Connection.readProtocolWithCheckingBroken()}, whichever API
 * (Jedis, JedisPool, JedisPooled, RedisClient, UnifiedJedis, Pipeline, Transaction) the service
 * uses. The advice pairs them in a small ring kept in a {@link JedisConnectionState} on the {@code
 * Connection}; connection lifecycle, the handshake, pipeline flushes and pool validation are marked
 * around them. See {@code io.cachelens.instrumentation.jedis.advice} for each hook.
 *
 * <p>This class, {@link JedisCommandReader} and {@link JedisConnectionState} never reference a
 * Jedis type: the agent's class loader cannot see Jedis. Advice classes are named by string and
 * only read as class files.
 */
public final class JedisInstrumentation implements ClientInstrumentation {
  /** The client family name used for the reader and in {@code RedisConnection.client()}. */
  public static final String CLIENT = "jedis";

  private static final String ADVICE = "io.cachelens.instrumentation.jedis.advice.";
  private static final String CONNECTION = "redis.clients.jedis.Connection";

  /** Present from Jedis 4.0 on: the landmark of the family this module supports. */
  static final String LANDMARK = "redis/clients/jedis/CommandObject.class";

  private static final String JEDIS_FACTORY = "redis.clients.jedis.JedisFactory";
  private static final String CONNECTION_FACTORY = "redis.clients.jedis.ConnectionFactory";

  @Override
  public String name() {
    return "jedis-4";
  }

  @Override
  public Set<String> instrumentedTypes() {
    return Set.of(CONNECTION, JEDIS_FACTORY, CONNECTION_FACTORY);
  }

  @Override
  public void registerCommandReader() {
    RedisEvents.registerReader(CLIENT, JedisCommandReader.INSTANCE);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    ElementMatcher<ClassLoader> jedis4 = new SeesResource(LANDMARK);
    return List.of(
        connectionState(TypeInstrumentation.forTypes(CONNECTION))
            .supportedIn(jedis4)
            .advice(
                isMethod().and(named("connect")).and(takesArguments(0)), ADVICE + "ConnectAdvice")
            .advice(
                isMethod()
                    .and(named("disconnect").or(named("forceDisconnect")))
                    .and(takesArguments(0)),
                ADVICE + "DisconnectAdvice")
            .advice(
                isMethod()
                    .and(named("initializeFromClientConfig"))
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("redis.clients.jedis.JedisClientConfig"))),
                ADVICE + "InitializeAdvice")
            .advice(
                isMethod()
                    .and(named("sendCommand"))
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("redis.clients.jedis.CommandArguments"))),
                ADVICE + "SendCommandAdvice")
            .advice(
                isMethod().and(named("readProtocolWithCheckingBroken")).and(takesArguments(0)),
                ADVICE + "ReadReplyAdvice")
            .advice(
                isMethod().and(named("flush")).and(takesArguments(0)),
                ADVICE + "FlushFailureAdvice")
            .advice(
                isMethod().and(named("getMany")).and(takesArguments(int.class)),
                ADVICE + "GetManyAdvice")
            .advice(
                isMethod()
                    .and(named("executeCommand"))
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("redis.clients.jedis.CommandObject"))),
                ADVICE + "ExecuteCommandAdvice")
            .build(),
        TypeInstrumentation.forTypes(JEDIS_FACTORY, CONNECTION_FACTORY)
            .supportedIn(jedis4)
            .advice(
                isMethod()
                    .and(
                        named("validateObject")
                            .or(named("activateObject"))
                            .or(named("passivateObject")))
                    .and(takesArguments(1)),
                ADVICE + "PoolInternalAdvice")
            .build());
  }

  /** The one field the advice keeps its {@link JedisConnectionState} in, and the StateCarrier. */
  private static TypeInstrumentation.Builder connectionState(TypeInstrumentation.Builder type) {
    return type.field(
            JedisConnectionState.FIELD,
            Object.class,
            Visibility.PRIVATE,
            FieldPersistence.TRANSIENT)
        .stateCarrier(JedisConnectionState.FIELD);
  }

  /**
   * Matches class loaders that can see a resource, remembering the answer per loader. The bootstrap
   * loader never holds Jedis.
   */
  static final class SeesResource implements ElementMatcher<ClassLoader> {
    private final String resource;
    private final Map<ClassLoader, Boolean> seen = Collections.synchronizedMap(new WeakHashMap<>());

    SeesResource(String resource) {
      this.resource = resource;
    }

    @Override
    public boolean matches(ClassLoader loader) {
      if (loader == null) {
        return false;
      }
      Boolean known = seen.get(loader);
      if (known == null) {
        boolean found;
        try {
          found = loader.getResource(resource) != null;
        } catch (RuntimeException | LinkageError e) {
          found = false;
        }
        known = found;
        seen.put(loader, known);
      }
      return known;
    }
  }
}
