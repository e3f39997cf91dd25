package io.cachelens.instrumentation.api;

/**
 * Added by instrumentation to client classes (a connection, a command) together with a field, so
 * that agent state rides along with the client's own object instead of living in a map.
 *
 * <p>The odd method names avoid any clash with the client's own methods.
 */
public interface StateCarrier {

  /** The state stored on this object, or null. */
  Object cachelens$getState();

  /** Stores state on this object. */
  void cachelens$setState(Object state);
}
