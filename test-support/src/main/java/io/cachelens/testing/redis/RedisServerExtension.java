package io.cachelens.testing.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs a {@link RedisServer} for tests.
 *
 * <p>Programmatic use, with config lines:
 *
 * <pre>{@code
 * @RegisterExtension
 * static RedisServerExtension redis = RedisServerExtension.withConfig("maxmemory 10mb");
 * }</pre>
 *
 * A {@code static} field gives one server for the whole class (started before all tests, stopped
 * after all); an instance field gives a fresh server per test. Use {@link #server()}, {@link
 * #host()}, {@link #port()} or {@link #uri()} from tests and {@code @BeforeEach} methods.
 *
 * <p>Declarative use: {@code @ExtendWith(RedisServerExtension.class)} on the class gives one server
 * with the default config for the class, injected into any {@link RedisServer} parameter of test
 * methods, lifecycle methods and constructors; on a single method it gives that test its own
 * server.
 *
 * <p>Servers are stopped and their directories deleted even when tests fail. When a test fails, the
 * tail of the server log is printed to stderr and published as a report entry. {@code @Nested}
 * classes share the enclosing class's server. With two extensions in one class (say, a primary and
 * a replica), read the servers from the fields: a {@link RedisServer} parameter would be ambiguous.
 */
public final class RedisServerExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterTestExecutionCallback,
        ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisServerExtension.class);
  private static final int FAILURE_LOG_LINES = 60;

  private final List<String> configLines;
  private final Object storeKey = new Object();
  private Duration startupTimeout = Duration.ofSeconds(10);
  private volatile RedisServer current;

  /** Creates an extension for a server with the default config (used by {@code @ExtendWith}). */
  public RedisServerExtension() {
    this(List.of());
  }

  private RedisServerExtension(List<String> configLines) {
    this.configLines = List.copyOf(configLines);
  }

  /** Creates an extension whose server gets these extra config lines, such as "maxmemory 10mb". */
  public static RedisServerExtension withConfig(String... configLines) {
    return new RedisServerExtension(Arrays.asList(configLines));
  }

  /** Sets how long to wait for each server to answer; 10 s by default. Returns this extension. */
  public RedisServerExtension startupTimeout(Duration timeout) {
    this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /** The extra config lines each server gets. */
  public List<String> configLines() {
    return configLines;
  }

  /**
   * The server for the current class (static field) or test (instance field).
   *
   * @throws IllegalStateException when no server is running yet
   */
  public RedisServer server() {
    RedisServer server = current;
    if (server == null) {
      throw new IllegalStateException(
          "RedisServerExtension has no server yet: use it from tests or @BeforeEach methods,"
              + " or make the field static to use it from @BeforeAll");
    }
    return server;
  }

  /** The server's host, {@code 127.0.0.1}. */
  public String host() {
    return server().host();
  }

  /** The server's port. */
  public int port() {
    return server().port();
  }

  /** The server's URI, such as {@code redis://127.0.0.1:34567}. */
  public String uri() {
    return server().uri();
  }

  /** The server's shared {@link RespClient}. */
  public RespClient client() {
    return server().client();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (find(context) == null) {
      start(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (find(context) == null) {
      start(context);
    }
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    ScopedServer scoped = find(context);
    if (scoped == null) {
      return;
    }
    String tail = scoped.server.logTail(FAILURE_LOG_LINES);
    System.err.println(
        "[cachelens] "
            + context.getDisplayName()
            + " failed; "
            + scoped.server
            + " log tail:\n"
            + tail);
    context.publishReportEntry("redis-server log tail", tail);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stopOwnedBy(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopOwnedBy(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ScopedServer scoped = find(context);
    return scoped != null ? scoped.server : start(context).server;
  }

  private ScopedServer find(ExtensionContext context) {
    return context.getStore(NAMESPACE).get(storeKey, ScopedServer.class);
  }

  private ScopedServer start(ExtensionContext context) {
    RedisServer server =
        RedisServer.builder().config(configLines).startupTimeout(startupTimeout).build();
    ScopedServer scoped = new ScopedServer(server, context.getUniqueId());
    // Stored before starting, so JUnit closes it with the context even if something fails later.
    context.getStore(NAMESPACE).put(storeKey, scoped);
    server.start();
    current = server;
    return scoped;
  }

  private void stopOwnedBy(ExtensionContext context) {
    ScopedServer scoped = find(context);
    if (scoped == null || !scoped.ownerId.equals(context.getUniqueId())) {
      return;
    }
    context.getStore(NAMESPACE).remove(storeKey);
    if (current == scoped.server) {
      current = null;
    }
    scoped.close();
  }

  /** Remembers which extension context started a server; closing it stops the server. */
  private static final class ScopedServer implements AutoCloseable {
    private final RedisServer server;
    private final String ownerId;

    ScopedServer(RedisServer server, String ownerId) {
      this.server = server;
      this.ownerId = ownerId;
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
