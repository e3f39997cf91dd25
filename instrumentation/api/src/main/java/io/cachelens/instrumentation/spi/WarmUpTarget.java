package io.cachelens.instrumentation.spi;

/** A stand-in client class that {@link ClientClassTransformer#warmUp()} transforms. */
final class WarmUpTarget {
  private Object state;

  String run(String argument) {
    if (argument == null) {
      throw new IllegalArgumentException("no argument");
    }
    return argument + state;
  }
}
