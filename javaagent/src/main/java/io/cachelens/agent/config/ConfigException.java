package io.cachelens.agent.config;

/**
 * A configuration value the agent cannot accept; its message names the key and the accepted values.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
