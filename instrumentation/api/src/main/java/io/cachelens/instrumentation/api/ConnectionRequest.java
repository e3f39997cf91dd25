package io.cachelens.instrumentation.api;

/**
 * A connection the service asked for that the client will open on another thread: what it was
 * configured to reach, and what the sink captured on the asking thread.
 */
public final class ConnectionRequest {
  private final Object target;
  private final Object opener;

  /**
   * @param target the client's description of the server, e.g. Lettuce's {@code RedisURI}
   * @param opener what {@link CommandSink#captureOpener()} returned on the asking thread
   */
  public ConnectionRequest(Object target, Object opener) {
    this.target = target;
    this.opener = opener;
  }

  public Object target() {
    return target;
  }

  public Object opener() {
    return opener;
  }
}
