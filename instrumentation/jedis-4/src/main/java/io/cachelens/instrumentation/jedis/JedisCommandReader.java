package io.cachelens.instrumentation.jedis;

import io.cachelens.instrumentation.api.CommandReader;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * Reads Jedis {@code CommandArguments} (the object the advice hands over) without linking to Jedis:
 * method handles are resolved from each object's runtime class and cached per class, so the agent's
 * class loader never needs to see Jedis.
 *
 * <ul>
 *   <li>command type: {@code CommandArguments.getCommand()}, a {@code ProtocolCommand} (for the
 *       built-in commands a {@code Protocol.Command} enum constant, identity-stable);
 *   <li>name: {@code ProtocolCommand.getRaw()} as ASCII, once per type;
 *   <li>arguments: the private {@code ArrayList<Rawable> args} field (every release 4.x to 8.x)
 *       read by index and {@code Rawable.getRaw()}, with no allocation; {@code get(int)} (7.x and
 *       later) or iteration where the field cannot be reached.
 * </ul>
 *
 * Never throws: anything unreadable comes back as {@code "UNKNOWN"}, 0 or null.
 */
final class JedisCommandReader implements CommandReader {
  static final JedisCommandReader INSTANCE = new JedisCommandReader();

  private static final String ARGUMENTS_CLASS = "redis.clients.jedis.CommandArguments";
  private static final String RAWABLE_CLASS = "redis.clients.jedis.args.Rawable";
  private static final String UNKNOWN_NAME = "UNKNOWN";

  /** The command type of anything unreadable. */
  private static final Object UNKNOWN =
      new Object() {
        @Override
        public String toString() {
          return UNKNOWN_NAME;
        }
      };

  private static final MethodType TO_OBJECT = MethodType.methodType(Object.class, Object.class);
  private static final MethodType TO_INT = MethodType.methodType(int.class, Object.class);
  private static final MethodType TO_LIST = MethodType.methodType(List.class, Object.class);
  private static final MethodType TO_ITERATOR = MethodType.methodType(Iterator.class, Object.class);
  private static final MethodType TO_BYTES = MethodType.methodType(byte[].class, Object.class);
  private static final MethodType INDEXED =
      MethodType.methodType(Object.class, Object.class, int.class);

  private final ClassValue<Access> access =
      new ClassValue<>() {
        @Override
        protected Access computeValue(Class<?> type) {
          return Access.of(type);
        }
      };

  private final ClassValue<MethodHandle> rawOf =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return rawHandle(type);
        }
      };

  private JedisCommandReader() {}

  @Override
  public Object commandType(Object command) {
    try {
      if (command == null) {
        return UNKNOWN;
      }
      MethodHandle getCommand = access.get(command.getClass()).getCommand;
      if (getCommand == null) {
        return UNKNOWN;
      }
      Object type = (Object) getCommand.invokeExact(command);
      return type != null ? type : UNKNOWN;
    } catch (Throwable t) {
      return UNKNOWN;
    }
  }

  @Override
  public String commandName(Object commandType) {
    try {
      if (commandType == null || commandType == UNKNOWN) {
        return UNKNOWN_NAME;
      }
      MethodHandle raw = rawOf.get(commandType.getClass());
      if (raw == null) {
        return UNKNOWN_NAME;
      }
      byte[] name = (byte[]) raw.invokeExact(commandType);
      return name != null && name.length > 0
          ? new String(name, StandardCharsets.US_ASCII)
          : UNKNOWN_NAME;
    } catch (Throwable t) {
      return UNKNOWN_NAME;
    }
  }

  @Override
  public int argumentCount(Object command) {
    try {
      if (command == null) {
        return 0;
      }
      Access a = access.get(command.getClass());
      if (a.size == null) {
        return 0;
      }
      int size = (int) a.size.invokeExact(command);
      return size > 1 ? size - 1 : 0;
    } catch (Throwable t) {
      return 0;
    }
  }

  @Override
  public byte[] argument(Object command, int index) {
    try {
      if (command == null || index < 0) {
        return null;
      }
      Access a = access.get(command.getClass());
      if (a.raw == null) {
        return null;
      }
      int position = index + 1;
      Object argument;
      if (a.arguments != null) {
        List<?> arguments = (List<?>) a.arguments.invokeExact(command);
        if (arguments == null || position >= arguments.size()) {
          return null;
        }
        argument = arguments.get(position);
      } else if (a.get != null) {
        int size = (int) a.size.invokeExact(command);
        if (position >= size) {
          return null;
        }
        argument = (Object) a.get.invokeExact(command, position);
      } else if (a.iterator != null) {
        Iterator<?> values = (Iterator<?>) a.iterator.invokeExact(command);
        argument = null;
        for (int i = 0; i <= position; i++) {
          if (!values.hasNext()) {
            return null;
          }
          argument = values.next();
        }
      } else {
        return null;
      }
      return argument == null ? null : (byte[]) a.raw.invokeExact(argument);
    } catch (Throwable t) {
      return null;
    }
  }

  /** {@code Rawable.getRaw()} for any class implementing it, typed {@code (Object)byte[]}. */
  private static MethodHandle rawHandle(Class<?> type) {
    Class<?> rawable = findInterface(type, RAWABLE_CLASS);
    if (rawable == null) {
      return null;
    }
    try {
      return MethodHandles.publicLookup()
          .findVirtual(rawable, "getRaw", MethodType.methodType(byte[].class))
          .asType(TO_BYTES);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Class<?> findInterface(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(name)) {
        return c;
      }
      for (Class<?> implemented : c.getInterfaces()) {
        Class<?> found = findInterface(implemented, name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The handles that read one runtime class of {@code CommandArguments}; null where unusable. */
  private static final class Access {
    private static final Access NONE = new Access(null, null, null, null, null, null);

    final MethodHandle getCommand;
    final MethodHandle size;
    final MethodHandle arguments;
    final MethodHandle get;
    final MethodHandle iterator;
    final MethodHandle raw;

    private Access(
        MethodHandle getCommand,
        MethodHandle size,
        MethodHandle arguments,
        MethodHandle get,
        MethodHandle iterator,
        MethodHandle raw) {
      this.getCommand = getCommand;
      this.size = size;
      this.arguments = arguments;
      this.get = get;
      this.iterator = iterator;
      this.raw = raw;
    }

    static Access of(Class<?> type) {
      Class<?> base = type;
      while (base != null && !base.getName().equals(ARGUMENTS_CLASS)) {
        base = base.getSuperclass();
      }
      if (base == null) {
        return NONE;
      }
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle getCommand = publicMethod(lookup, base, "getCommand", TO_OBJECT);
      MethodHandle size = publicMethod(lookup, base, "size", TO_INT);
      MethodHandle arguments = null;
      try {
        arguments =
            MethodHandles.privateLookupIn(base, MethodHandles.lookup())
                .findGetter(base, "args", java.util.ArrayList.class)
                .asType(TO_LIST);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // a named Jedis module that does not open its package: use the public routes
      }
      MethodHandle get = publicMethod(lookup, base, "get", INDEXED, int.class);
      MethodHandle iterator = publicMethod(lookup, base, "iterator", TO_ITERATOR);
      MethodHandle raw = null;
      try {
        Class<?> rawable = Class.forName(RAWABLE_CLASS, false, base.getClassLoader());
        raw =
            MethodHandles.publicLookup()
                .findVirtual(rawable, "getRaw", MethodType.methodType(byte[].class))
                .asType(TO_BYTES);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        // no Rawable: arguments stay unreadable
      }
      return new Access(getCommand, size, arguments, get, iterator, raw);
    }

    private static MethodHandle publicMethod(
        MethodHandles.Lookup lookup,
        Class<?> type,
        String name,
        MethodType erased,
        Class<?>... parameters) {
      try {
        Method method = type.getMethod(name, parameters);
        return lookup.unreflect(method).asType(erased);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }
}
