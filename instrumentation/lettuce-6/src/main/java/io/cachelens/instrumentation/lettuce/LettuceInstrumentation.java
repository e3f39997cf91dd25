package io.cachelens.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.api.StateCarrier;
import io.cachelens.instrumentation.spi.ClientInstrumentation;
import io.cachelens.instrumentation.spi.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.description.modifier.FieldManifestation;
import net.bytebuddy.description.modifier.FieldPersistence;
import net.bytebuddy.description.modifier.ModifierContributor;
import net.bytebuddy.description.modifier.SyntheticState;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Lettuce 6.1 to 7.x.
 *
 * <p>Hook points (identical in 6.1.10, 6.5.5, 6.8.2 and 7.7.0 unless noted):
 *
 * <ul>
 *   <li>dispatch: {@code DefaultEndpoint.write(RedisCommand)} and {@code write(Collection)}, on the
 *       caller's thread (below {@code CommandExpiryWriter}, which 6.5+ installs by default);
 *   <li>batches: {@code DefaultEndpoint.writeToChannelAndFlush(Collection)} (6.1–6.7) / {@code
 *       (Channel, Collection)} (6.8+), where {@code flushCommands()} and the reconnect flush send
 *       buffered commands;
 *   <li>completion: {@code AsyncCommand.completeResult()/doCompleteExceptionally/cancel(boolean)},
 *       {@code CommandWrapper.doOnComplete()/doOnError(Throwable)} and their overrides in Lettuce,
 *       {@code Command.complete()/completeExceptionally/cancel()};
 *   <li>connections: {@code CommandHandler.channelActive/channelInactive}, with the configured
 *       target from {@code ConnectionBuilder.apply(RedisURI)}, which runs on the caller's thread;
 *   <li>the sync API's wait: {@code internal.Futures.awaitOrCancel(RedisFuture, long, TimeUnit)},
 *       on the caller's thread.
 * </ul>
 *
 * Per-command state is a {@code PendingCommand} in a field added to {@code Command}, {@code
 * AsyncCommand} and {@code CommandWrapper}; per-connection state a field on {@code DefaultEndpoint}
 * and {@code CommandHandler}. This class, {@link LettuceCommandReader} and {@link LettuceDispatch}
 * (where the dispatch advice hands off) never link against Lettuce: advice classes are read as
 * class files (through the instrumented class loader) and inlined.
 */
public final class LettuceInstrumentation implements ClientInstrumentation {

  /** The field that backs {@link StateCarrier} in every instrumented Lettuce class. */
  static final String STATE_FIELD = "cachelens$state";

  /** On {@code DefaultEndpoint}: commands queued since the last MULTI, for the batch size. */
  static final String TRANSACTION_FIELD = "cachelens$txn";

  static final String DEFAULT_ENDPOINT = "io.lettuce.core.protocol.DefaultEndpoint";
  static final String COMMAND_HANDLER = "io.lettuce.core.protocol.CommandHandler";
  static final String CONNECTION_BUILDER = "io.lettuce.core.ConnectionBuilder";
  static final String COMMAND = "io.lettuce.core.protocol.Command";
  static final String ASYNC_COMMAND = "io.lettuce.core.protocol.AsyncCommand";
  static final String COMMAND_WRAPPER = "io.lettuce.core.protocol.CommandWrapper";
  static final String FUTURES = "io.lettuce.core.internal.Futures";

  /**
   * The only subclasses of {@code CommandWrapper} that override its completion hooks, in every
   * release from 6.1 to 7.7 (checked against each jar): named, so no class hierarchy is resolved.
   */
  static final String SUBSCRIPTION_COMMAND = "io.lettuce.core.RedisPublisher$SubscriptionCommand";

  static final String LISTENER_COMMAND =
      "io.lettuce.core.CommandListenerWriter$RedisCommandListenerCommand";

  /**
   * Present from 6.1 on (RESP3 push handling arrived in 6.0, command listeners in 6.1), absent in
   * 5.x, which this module does not support.
   */
  static final String[] LANDMARKS = {
    "io/lettuce/core/protocol/PushHandler.class",
    "io/lettuce/core/event/command/CommandListener.class"
  };

  private static final String ADVICE = "io.cachelens.instrumentation.lettuce.advice.";

  @Override
  public String name() {
    return "lettuce-6";
  }

  @Override
  public Set<String> instrumentedTypes() {
    return Set.of(
        DEFAULT_ENDPOINT,
        COMMAND_HANDLER,
        CONNECTION_BUILDER,
        ASYNC_COMMAND,
        COMMAND_WRAPPER,
        SUBSCRIPTION_COMMAND,
        LISTENER_COMMAND,
        COMMAND,
        FUTURES);
  }

  @Override
  public void registerCommandReader() {
    RedisEvents.registerReader("lettuce", LettuceCommandReader.INSTANCE);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    ElementMatcher<ClassLoader> lettuce = new LandmarkMatcher(LANDMARKS);
    return List.of(
        withState(TypeInstrumentation.forTypes(DEFAULT_ENDPOINT), true)
            .supportedIn(lettuce)
            .field(
                TRANSACTION_FIELD,
                Object.class,
                Visibility.PRIVATE,
                FieldPersistence.TRANSIENT,
                SyntheticState.SYNTHETIC)
            .advice(
                isMethod()
                    .and(named("write"))
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand"))),
                ADVICE + "EndpointAdvice$Write")
            .advice(
                isMethod()
                    .and(named("write"))
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("java.util.Collection"))),
                ADVICE + "EndpointAdvice$WriteAll")
            .advice(
                isMethod()
                    .and(named("writeToChannelAndFlush"))
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("java.util.Collection"))),
                ADVICE + "EndpointAdvice$FlushBatch")
            .advice(
                isMethod()
                    .and(named("writeToChannelAndFlush"))
                    .and(takesArguments(2))
                    .and(takesArgument(1, named("java.util.Collection"))),
                ADVICE + "EndpointAdvice$FlushBatchOnChannel")
            .build(),
        withState(TypeInstrumentation.forTypes(COMMAND_HANDLER), false)
            .supportedIn(lettuce)
            .advice(
                isMethod().and(named("channelActive")).and(takesArguments(1)),
                ADVICE + "ConnectionAdvice$ChannelActive")
            .advice(
                isMethod().and(named("channelInactive")).and(takesArguments(1)),
                ADVICE + "ConnectionAdvice$ChannelInactive")
            .build(),
        TypeInstrumentation.forTypes(CONNECTION_BUILDER)
            .supportedIn(lettuce)
            .advice(
                isMethod()
                    .and(named("apply"))
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("io.lettuce.core.RedisURI"))),
                ADVICE + "ConnectionAdvice$BuilderApply")
            .build(),
        withState(TypeInstrumentation.forTypes(ASYNC_COMMAND), false)
            .supportedIn(lettuce)
            .advice(
                isMethod().and(named("completeResult")).and(takesArguments(0)),
                ADVICE + "CommandAdvice$AsyncCompleteResult")
            .advice(
                isMethod()
                    .and(named("doCompleteExceptionally"))
                    .and(takesArguments(1))
                    .and(returns(boolean.class)),
                ADVICE + "CommandAdvice$AsyncCompleteExceptionally")
            .advice(
                isMethod()
                    .and(named("cancel"))
                    .and(takesArguments(1))
                    .and(takesArgument(0, boolean.class)),
                ADVICE + "CommandAdvice$AsyncCancel")
            .build(),
        wrapperCompletion(withState(TypeInstrumentation.forTypes(COMMAND_WRAPPER), false))
            .supportedIn(lettuce)
            .build(),
        wrapperCompletion(TypeInstrumentation.forTypes(SUBSCRIPTION_COMMAND, LISTENER_COMMAND))
            .supportedIn(lettuce)
            .build(),
        withState(TypeInstrumentation.forTypes(COMMAND), false)
            .supportedIn(lettuce)
            .advice(
                isMethod().and(named("complete")).and(takesArguments(0)),
                ADVICE + "CommandAdvice$PlainComplete")
            .advice(
                isMethod().and(named("completeExceptionally")).and(takesArguments(1)),
                ADVICE + "CommandAdvice$PlainCompleteExceptionally")
            .advice(
                isMethod().and(named("cancel")).and(takesArguments(0)),
                ADVICE + "CommandAdvice$PlainCancel")
            .build(),
        TypeInstrumentation.forTypes(FUTURES)
            .supportedIn(lettuce)
            .advice(
                isMethod()
                    .and(isStatic())
                    .and(named("awaitOrCancel"))
                    .and(takesArguments(3))
                    .and(takesArgument(0, named("io.lettuce.core.RedisFuture"))),
                ADVICE + "AwaitAdvice")
            .build());
  }

  /** {@code CommandWrapper}'s completion hooks, also overridden by two of its subclasses. */
  private static TypeInstrumentation.Builder wrapperCompletion(TypeInstrumentation.Builder type) {
    return type.advice(
            isMethod().and(named("doOnComplete")).and(takesArguments(0)),
            ADVICE + "CommandAdvice$WrapperComplete")
        .advice(
            isMethod()
                .and(named("doOnError"))
                .and(takesArguments(1))
                .and(takesArgument(0, named("java.lang.Throwable"))),
            ADVICE + "CommandAdvice$WrapperError");
  }

  /** Adds the {@link StateCarrier} field and its accessors. */
  private static TypeInstrumentation.Builder withState(
      TypeInstrumentation.Builder type, boolean shared) {
    ModifierContributor.ForField[] modifiers =
        shared
            ? new ModifierContributor.ForField[] {
              Visibility.PRIVATE,
              FieldManifestation.VOLATILE,
              FieldPersistence.TRANSIENT,
              SyntheticState.SYNTHETIC
            }
            : new ModifierContributor.ForField[] {
              Visibility.PRIVATE, FieldPersistence.TRANSIENT, SyntheticState.SYNTHETIC
            };
    return type.field(STATE_FIELD, Object.class, modifiers).stateCarrier(STATE_FIELD);
  }

  /** Matches class loaders that see every landmark class (cached per loader). */
  static final class LandmarkMatcher extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
    private final String[] resources;
    private final Map<ClassLoader, Boolean> cache =
        Collections.synchronizedMap(new WeakHashMap<>());

    LandmarkMatcher(String[] resources) {
      this.resources = resources.clone();
    }

    @Override
    public boolean matches(ClassLoader loader) {
      if (loader == null) {
        return false;
      }
      Boolean known = cache.get(loader);
      if (known != null) {
        return known;
      }
      boolean found = true;
      for (String resource : resources) {
        if (loader.getResource(resource) == null) {
          found = false;
          break;
        }
      }
      cache.put(loader, found);
      return found;
    }
  }
}
