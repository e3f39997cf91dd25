package io.cachelens.instrumentation.jedis;

import io.cachelens.instrumentation.api.CommandReader;
import io.cachelens.instrumentation.api.GuardedCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * Reads Jedis {@code CommandArguments} (the object the advice hands over) without linking to Jedis:
 * method handles are resolved from each object's runtime class, so the agent's class loader never
 * needs to see Jedis, and called through constant call sites bound to the first Jedis seen.
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

  private static final ClassValue<Access> ACCESS =
      new ClassValue<>() {
        @Override
        protected Access computeValue(Class<?> type) {
          return Access.of(type);
        }
      };

  private static final ClassValue<MethodHandle> RAW_HANDLES =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return rawHandle(type);
        }
      };

  // Every command's type, size, argument list and argument bytes are read through these sites, so
  // that the JIT inlines the read; they bind to the first Jedis seen, guarded by its
  // CommandArguments (or Rawable) type, and anything else takes the per-class handles.
  private static final GuardedCallSite TYPE_SITE;
  private static final GuardedCallSite SIZE_SITE;
  private static final GuardedCallSite LIST_SITE;
  private static final GuardedCallSite RAW_SITE;
  private static final MethodHandle TYPE_OF;
  private static final MethodHandle SIZE_OF;
  private static final MethodHandle LIST_OF;
  private static final MethodHandle RAW_OF;

  static {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    try {
      TYPE_SITE =
          new GuardedCallSite(
              lookup.findStatic(JedisCommandReader.class, "typeByClass", TO_OBJECT));
      SIZE_SITE =
          new GuardedCallSite(lookup.findStatic(JedisCommandReader.class, "sizeByClass", TO_INT));
      LIST_SITE =
          new GuardedCallSite(lookup.findStatic(JedisCommandReader.class, "listByClass", TO_LIST));
      RAW_SITE =
          new GuardedCallSite(lookup.findStatic(JedisCommandReader.class, "rawByClass", TO_BYTES));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    TYPE_OF = TYPE_SITE.invoker();
    SIZE_OF = SIZE_SITE.invoker();
    LIST_OF = LIST_SITE.invoker();
    RAW_OF = RAW_SITE.invoker();
  }

  private JedisCommandReader() {}

  /** The command's type, or null when unreadable. */
  private static Object typeByClass(Object command) throws Throwable {
    Access a = ACCESS.get(command.getClass());
    TYPE_SITE.bind(a.declaring, a.getCommand);
    return a.getCommand == null ? null : (Object) a.getCommand.invokeExact(command);
  }

  /** The command's size (its name included), or -1 when unreadable. */
  private static int sizeByClass(Object command) throws Throwable {
    Access a = ACCESS.get(command.getClass());
    SIZE_SITE.bind(a.declaring, a.size);
    return a.size == null ? -1 : (int) a.size.invokeExact(command);
  }

  /** The command's own argument list (its name first), or null when it cannot be reached. */
  private static List<?> listByClass(Object command) throws Throwable {
    Access a = ACCESS.get(command.getClass());
    LIST_SITE.bind(a.declaring, a.arguments);
    return a.arguments == null ? null : (List<?>) a.arguments.invokeExact(command);
  }

  /** {@code Rawable.getRaw()} of an argument, or null when it is not a {@code Rawable}. */
  private static byte[] rawByClass(Object argument) throws Throwable {
    MethodHandle raw = RAW_HANDLES.get(argument.getClass());
    if (raw == null) {
      return null;
    }
    if (RAW_SITE.unbound()) {
      RAW_SITE.bind(findInterface(argument.getClass(), RAWABLE_CLASS), raw);
    }
    return (byte[]) raw.invokeExact(argument);
  }

  @Override
  public Object commandType(Object command) {
    try {
      if (command == null) {
        return UNKNOWN;
      }
      Object type = (Object) TYPE_OF.invokeExact(command);
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
      MethodHandle raw = RAW_HANDLES.get(commandType.getClass());
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
      int size = (int) SIZE_OF.invokeExact(command);
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
      int position = index + 1;
      Object argument;
      List<?> arguments = (List<?>) LIST_OF.invokeExact(command);
      if (arguments != null) {
        if (position >= arguments.size()) {
          return null;
        }
        argument = arguments.get(position);
      } else {
        argument = argumentWithoutList(command, position);
      }
      return argument == null ? null : (byte[]) RAW_OF.invokeExact(argument);
    } catch (Throwable t) {
      return null;
    }
  }

  /** Argument {@code position} through public methods, where the list field cannot be reached. */
  private static Object argumentWithoutList(Object command, int position) throws Throwable {
    Access a = ACCESS.get(command.getClass());
    if (a.get != null && a.size != null) {
      int size = (int) a.size.invokeExact(command);
      return position < size ? (Object) a.get.invokeExact(command, position) : null;
    }
    if (a.iterator != null) {
      Iterator<?> values = (Iterator<?>) a.iterator.invokeExact(command);
      Object argument = null;
      for (int i = 0; i <= position; i++) {
        if (!values.hasNext()) {
          return null;
        }
        argument = values.next();
      }
      return argument;
    }
    return null;
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

    /** The {@code CommandArguments} class the handles were found on. */
    final Class<?> declaring;

    final MethodHandle getCommand;
    final MethodHandle size;
    final MethodHandle arguments;
    final MethodHandle get;
    final MethodHandle iterator;

    private Access(
        Class<?> declaring,
        MethodHandle getCommand,
        MethodHandle size,
        MethodHandle arguments,
        MethodHandle get,
        MethodHandle iterator) {
      this.declaring = declaring;
      this.getCommand = getCommand;
      this.size = size;
      this.arguments = arguments;
      this.get = get;
      this.iterator = iterator;
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
      return new Access(base, getCommand, size, arguments, get, iterator);
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
