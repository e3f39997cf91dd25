package io.cachelens.instrumentation.api;

import java.net.InetSocketAddress;

/**
 * One client connection to a Redis server, created by the instrumentation when the connection
 * opens.
 *
 * <p>Everything the agent needs per connection is computed here once, so that per-command work
 * stays a few field reads. Instances are shared between the thread that sends commands and the
 * thread that completes them.
 */
public final class RedisConnection {
  /** The {@link #opener()} of a connection that the client opened on its own (a reconnect). */
  public static final Object NOT_ASKED = new Object();

  private final CommandReader reader;
  private final String client;
  private final String serverAddress;
  private final int serverPort;
  private final InetSocketAddress peer;
  private final InetSocketAddress local;
  private final long openedNanos;
  private volatile int database;
  private volatile boolean handshaking;
  private volatile Object sinkState;
  private volatile Object opener;

  /**
   * @param reader reads this client family's command objects
   * @param client the client family, e.g. {@code "jedis"} or {@code "lettuce"}
   * @param serverAddress the server's host name or address as the service configured it
   * @param serverPort the server's port as configured
   * @param peer the remote socket address actually connected to, or null when unknown
   * @param local the local socket address, or null when unknown
   * @param database the logical database index selected at connect
   */
  public RedisConnection(
      CommandReader reader,
      String client,
      String serverAddress,
      int serverPort,
      InetSocketAddress peer,
      InetSocketAddress local,
      int database) {
    this.reader = reader;
    this.client = client;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
    this.peer = peer;
    this.local = local;
    this.database = database;
    this.openedNanos = System.nanoTime();
  }

  public CommandReader reader() {
    return reader;
  }

  public String client() {
    return client;
  }

  public String serverAddress() {
    return serverAddress;
  }

  public int serverPort() {
    return serverPort;
  }

  /** The remote socket address, or null when the client did not expose it. */
  public InetSocketAddress peer() {
    return peer;
  }

  /** The local socket address, or null when the client did not expose it. */
  public InetSocketAddress local() {
    return local;
  }

  /** {@link System#nanoTime()} when this object was created, i.e. when the connection opened. */
  public long openedNanos() {
    return openedNanos;
  }

  public int database() {
    return database;
  }

  /** Records a SELECT that succeeded on this connection. */
  public void database(int database) {
    this.database = database;
  }

  /** True while the client runs its connect handshake (AUTH, HELLO, CLIENT SETNAME, SELECT). */
  public boolean handshaking() {
    return handshaking;
  }

  public void handshaking(boolean handshaking) {
    this.handshaking = handshaking;
  }

  /**
   * Whatever the sink caches for this connection (e.g. prebuilt attributes); null until the sink
   * sets it.
   */
  public Object sinkState() {
    return sinkState;
  }

  public void sinkState(Object sinkState) {
    this.sinkState = sinkState;
  }

  /**
   * What {@link CommandSink#captureOpener()} returned on the thread that asked for this connection,
   * for clients that open connections on another thread (Lettuce); null when the connection opened
   * on the asking thread (Jedis), which the sink can then inspect itself.
   */
  public Object opener() {
    return opener;
  }

  /** Set by the instrumentation before it reports the connection as opened. */
  public void opener(Object opener) {
    this.opener = opener;
  }

  @Override
  public String toString() {
    return client + " connection to " + serverAddress + ":" + serverPort + " (db " + database + ")";
  }
}
