package io.cachelens.analysis.command;

/**
 * How the catalog reads the arguments of a client's command object of type {@code C}.
 *
 * <p>Index 0 is the first argument after the command name; for a container command such as {@code
 * CLIENT SETNAME name} it is the subcommand {@code SETNAME}. Implementations should not allocate
 * and must not throw.
 */
public interface ArgumentAccess<C> {

  /** How many arguments follow the command name. */
  int count(C command);

  /**
   * The bytes of argument {@code index}, or null when they cannot be read (treated as unknown).
   * Callers never modify or keep the array.
   */
  byte[] argument(C command, int index);
}
