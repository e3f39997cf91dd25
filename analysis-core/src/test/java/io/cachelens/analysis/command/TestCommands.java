package io.cachelens.analysis.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Commands for tests: a name and its arguments as byte arrays, read through {@link #ACCESS}. */
public final class TestCommands {

  /** Reads a list of arguments; null for an index out of range or an argument that is null. */
  public static final ArgumentAccess<List<byte[]>> ACCESS =
      new ArgumentAccess<>() {
        @Override
        public int count(List<byte[]> command) {
          return command.size();
        }

        @Override
        public byte[] argument(List<byte[]> command, int index) {
          return index >= 0 && index < command.size() ? command.get(index) : null;
        }
      };

  /** An access that fails on every call, as a buggy client adapter might. */
  public static final ArgumentAccess<List<byte[]>> THROWING =
      new ArgumentAccess<>() {
        @Override
        public int count(List<byte[]> command) {
          throw new IllegalStateException("boom");
        }

        @Override
        public byte[] argument(List<byte[]> command, int index) {
          throw new IllegalStateException("boom");
        }
      };

  private TestCommands() {}

  /** The arguments of a command line such as {@code "SET k v EX 10"}, without the name. */
  public static List<byte[]> arguments(String commandLine) {
    List<String> words = words(commandLine);
    List<byte[]> arguments = new ArrayList<>();
    for (String word : words.subList(1, words.size())) {
      arguments.add(word.getBytes(StandardCharsets.UTF_8));
    }
    return Collections.unmodifiableList(arguments);
  }

  /** The first word of a command line. */
  public static String name(String commandLine) {
    return words(commandLine).get(0);
  }

  /** Resolves a command line's info, subcommand included, in {@code catalog}. */
  public static CommandInfo info(CommandCatalog catalog, String commandLine) {
    List<byte[]> arguments = arguments(commandLine);
    return catalog.lookup(name(commandLine), arguments.isEmpty() ? null : arguments.get(0));
  }

  private static List<String> words(String commandLine) {
    return Arrays.asList(commandLine.trim().split(" +"));
  }
}
