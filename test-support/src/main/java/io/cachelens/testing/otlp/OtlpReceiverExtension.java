package io.cachelens.testing.otlp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs an {@link OtlpReceiver}.
 *
 * <pre>{@code
 * @RegisterExtension static OtlpReceiverExtension otlp = new OtlpReceiverExtension();
 * }</pre>
 *
 * A {@code static} field gives one receiver for the class, emptied (see {@link
 * OtlpReceiver#clear()}) before each test so a test only sees its own exports; an instance field
 * gives each test its own receiver. With {@code @ExtendWith(OtlpReceiverExtension.class)} an {@link
 * OtlpReceiver} parameter is injected instead. When a test fails, a summary of what was received is
 * printed to stderr and published as a report entry.
 */
public final class OtlpReceiverExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterTestExecutionCallback,
        ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(OtlpReceiverExtension.class);

  private final Object storeKey = new Object();
  private volatile OtlpReceiver current;

  /** Creates the extension; the receiver starts with the class (static field) or test. */
  public OtlpReceiverExtension() {}

  /**
   * The receiver for the current class or test.
   *
   * @throws IllegalStateException when none is running yet
   */
  public OtlpReceiver receiver() {
    OtlpReceiver receiver = current;
    if (receiver == null) {
      throw new IllegalStateException(
          "OtlpReceiverExtension has no receiver yet: use it from tests or @BeforeEach methods,"
              + " or make the field static to use it from @BeforeAll");
    }
    return receiver;
  }

  /** See {@link OtlpReceiver#endpoint()}. */
  public String endpoint() {
    return receiver().endpoint();
  }

  /** See {@link OtlpReceiver#exporterEnvironment()}. */
  public Map<String, String> exporterEnvironment() {
    return receiver().exporterEnvironment();
  }

  /** See {@link OtlpReceiver#spans()}. */
  public List<ReceivedSpan> spans() {
    return receiver().spans();
  }

  /** See {@link OtlpReceiver#awaitSpans}. */
  public List<ReceivedSpan> awaitSpans(
      Predicate<? super ReceivedSpan> filter, int atLeast, Duration timeout) {
    return receiver().awaitSpans(filter, atLeast, timeout);
  }

  /** See {@link OtlpReceiver#awaitMetric(String, Duration)}. */
  public ReceivedMetric awaitMetric(String name, Duration timeout) {
    return receiver().awaitMetric(name, timeout);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (find(context) == null) {
      start(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Scoped scoped = find(context);
    if (scoped == null) {
      start(context);
    } else {
      scoped.receiver.clear();
    }
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    Scoped scoped = find(context);
    if (scoped == null || context.getExecutionException().isEmpty()) {
      return;
    }
    String summary = scoped.receiver.summary();
    System.err.println("[cachelens] " + context.getDisplayName() + " failed; " + summary);
    context.publishReportEntry("otlp receiver", summary);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closeOwnedBy(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    closeOwnedBy(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OtlpReceiver.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Scoped scoped = find(context);
    return scoped != null ? scoped.receiver : start(context).receiver;
  }

  private Scoped find(ExtensionContext context) {
    return context.getStore(NAMESPACE).get(storeKey, Scoped.class);
  }

  private Scoped start(ExtensionContext context) {
    Scoped scoped = new Scoped(OtlpReceiver.start(), context.getUniqueId());
    context.getStore(NAMESPACE).put(storeKey, scoped);
    current = scoped.receiver;
    return scoped;
  }

  private void closeOwnedBy(ExtensionContext context) {
    Scoped scoped = find(context);
    if (scoped == null || !scoped.ownerId.equals(context.getUniqueId())) {
      return;
    }
    context.getStore(NAMESPACE).remove(storeKey);
    if (current == scoped.receiver) {
      current = null;
    }
    scoped.close();
  }

  /** Remembers which extension context started a receiver; closing it stops the receiver. */
  private static final class Scoped implements AutoCloseable {
    private final OtlpReceiver receiver;
    private final String ownerId;

    Scoped(OtlpReceiver receiver, String ownerId) {
      this.receiver = receiver;
      this.ownerId = ownerId;
    }

    @Override
    public void close() {
      receiver.close();
    }
  }
}
