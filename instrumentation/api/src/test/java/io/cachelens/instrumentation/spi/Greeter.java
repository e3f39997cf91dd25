package io.cachelens.instrumentation.spi;

import java.util.function.Supplier;

/**
 * Stands for a client class in {@link ClientClassTransformerTest}: generic, so its signature lists
 * its interfaces again. The test transforms its class file and defines it in its own loader.
 */
public class Greeter<T> implements Supplier<T> {
  private final T value;

  public Greeter(T value) {
    this.value = value;
  }

  public String greet(String name) {
    return "hello " + name;
  }

  @Override
  public T get() {
    return value;
  }
}
