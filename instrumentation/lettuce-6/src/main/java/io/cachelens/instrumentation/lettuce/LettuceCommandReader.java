package io.cachelens.instrumentation.lettuce;

import io.cachelens.instrumentation.api.CommandReader;
import io.cachelens.instrumentation.api.GuardedCallSite;
import io.cachelens.instrumentation.api.ReplySizes;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads Lettuce command objects ({@code io.lettuce.core.protocol.RedisCommand}) without linking
 * against Lettuce: this class is loaded by the bootstrap class loader, which never sees Lettuce, so
 * everything goes through method handles resolved from the runtime classes and cached per class.
 * The reads every command makes (its type, arguments, argument list and count) go through constant
 * call sites bound to the first Lettuce seen, so that the JIT inlines them.
 *
 * <p>What it reads: {@code RedisCommand.getType()} (the {@code CommandType} enum constant, identity
 * stable), {@code RedisCommand.getArgs()} and the package-private list {@code
 * CommandArgs.singularArguments} with the fields of its element classes ({@code BytesArgument.val},
 * {@code KeyArgument.key}, …), opened with {@link MethodHandles#privateLookupIn}. When Lettuce sits
 * in a named module that does not open {@code io.lettuce.core.protocol}, arguments read as null and
 * only the command name and argument count remain.
 *
 * <p>Allocation: none for command types, counts, byte[] keys and values, and keyword arguments
 * ({@code CommandType}/{@code CommandKeyword} constants such as {@code PERSIST} or {@code STORE},
 * read as their {@code BytesArgument} parent); one exact-size array per call for String keys,
 * string arguments (Lettuce adds {@code EX} and {@code KEEPTTL} as strings) and integers outside
 * 0..255. Values that are not byte[] are never encoded (null). char[] arguments (passwords) are
 * never returned.
 */
public final class LettuceCommandReader implements CommandReader {

  /** The shared instance registered under {@code "lettuce"}. */
  public static final LettuceCommandReader INSTANCE = new LettuceCommandReader();

  static final String REDIS_COMMAND = "io.lettuce.core.protocol.RedisCommand";
  static final String PROTOCOL_KEYWORD = "io.lettuce.core.protocol.ProtocolKeyword";
  static final String COMMAND_ARGS = "io.lettuce.core.protocol.CommandArgs";
  static final String REDIS_CODEC = "io.lettuce.core.codec.RedisCodec";
  static final String COMMAND_OUTPUT = "io.lettuce.core.output.CommandOutput";

  /** Returned by {@link #commandType} when the command cannot be read. */
  static final Object UNKNOWN_TYPE =
      new Object() {
        @Override
        public String toString() {
          return "UNKNOWN";
        }
      };

  private static final MethodType OBJECT_TO_OBJECT =
      MethodType.methodType(Object.class, Object.class);
  private static final MethodType OBJECTS_TO_OBJECT =
      MethodType.methodType(Object.class, Object.class, Object.class);
  private static final MethodType OBJECT_TO_INT = MethodType.methodType(int.class, Object.class);
  private static final MethodType OBJECT_TO_LONG = MethodType.methodType(long.class, Object.class);
  private static final MethodType OBJECT_TO_DOUBLE =
      MethodType.methodType(double.class, Object.class);

  private static final byte[][] SMALL_INTEGERS = new byte[256][];

  static {
    for (int i = 0; i < SMALL_INTEGERS.length; i++) {
      SMALL_INTEGERS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final ClassValue<CommandAccess> COMMANDS =
      new ClassValue<>() {
        @Override
        protected CommandAccess computeValue(Class<?> type) {
          return CommandAccess.resolve(type);
        }
      };

  private static final ClassValue<ArgsAccess> ARGS =
      new ClassValue<>() {
        @Override
        protected ArgsAccess computeValue(Class<?> type) {
          return ArgsAccess.resolve(type);
        }
      };

  private static final ClassValue<ArgumentAccess> ARGUMENTS =
      new ClassValue<>() {
        @Override
        protected ArgumentAccess computeValue(Class<?> type) {
          return ArgumentAccess.resolve(type);
        }
      };

  private static final ClassValue<MethodHandle> KEY_ENCODERS =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          Method encodeKey = findInterfaceMethod(type, REDIS_CODEC, "encodeKey", 1);
          return encodeKey == null ? null : publicHandle(encodeKey, OBJECTS_TO_OBJECT);
        }
      };

  // Every command's type and arguments are read through these sites, so that the JIT inlines the
  // read; they bind to the first Lettuce seen, guarded by its RedisCommand (or CommandArgs) type,
  // and anything else takes the per-class handles.
  private static final GuardedCallSite TYPE_SITE;
  private static final GuardedCallSite ARGS_SITE;
  private static final GuardedCallSite LIST_SITE;
  private static final GuardedCallSite COUNT_SITE;
  private static final MethodHandle TYPE_OF;
  private static final MethodHandle ARGS_OF;
  private static final MethodHandle LIST_OF;
  private static final MethodHandle COUNT_OF;

  static {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    Class<?> reader = LettuceCommandReader.class;
    try {
      TYPE_SITE = new GuardedCallSite(lookup.findStatic(reader, "typeByClass", OBJECT_TO_OBJECT));
      ARGS_SITE = new GuardedCallSite(lookup.findStatic(reader, "argsByClass", OBJECT_TO_OBJECT));
      LIST_SITE = new GuardedCallSite(lookup.findStatic(reader, "listByClass", OBJECT_TO_OBJECT));
      COUNT_SITE = new GuardedCallSite(lookup.findStatic(reader, "countByClass", OBJECT_TO_INT));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    TYPE_OF = TYPE_SITE.invoker();
    ARGS_OF = ARGS_SITE.invoker();
    LIST_OF = LIST_SITE.invoker();
    COUNT_OF = COUNT_SITE.invoker();
  }

  private LettuceCommandReader() {}

  private static Object typeByClass(Object command) throws Throwable {
    CommandAccess access = COMMANDS.get(command.getClass());
    TYPE_SITE.bind(access.declaring, access.getType);
    return access.type(command);
  }

  private static Object argsByClass(Object command) throws Throwable {
    CommandAccess access = COMMANDS.get(command.getClass());
    ARGS_SITE.bind(access.declaring, access.getArgs);
    return access.args(command);
  }

  private static Object listByClass(Object args) throws Throwable {
    ArgsAccess access = ARGS.get(args.getClass());
    LIST_SITE.bind(access.declaring, access.list);
    return access.list(args);
  }

  private static int countByClass(Object args) throws Throwable {
    ArgsAccess access = ARGS.get(args.getClass());
    COUNT_SITE.bind(access.declaring, access.count);
    return access.count(args);
  }

  @Override
  public Object commandType(Object command) {
    try {
      Object type = (Object) TYPE_OF.invokeExact(command);
      return type != null ? type : UNKNOWN_TYPE;
    } catch (Throwable t) {
      return UNKNOWN_TYPE;
    }
  }

  @Override
  public String commandName(Object commandType) {
    try {
      if (commandType == null || commandType == UNKNOWN_TYPE) {
        return "UNKNOWN";
      }
      Method getBytes =
          findInterfaceMethod(commandType.getClass(), PROTOCOL_KEYWORD, "getBytes", 0);
      if (getBytes != null) {
        getBytes.setAccessible(true);
        Object bytes = getBytes.invoke(commandType);
        if (bytes instanceof byte[]) {
          return new String((byte[]) bytes, StandardCharsets.US_ASCII);
        }
      }
      return String.valueOf(commandType);
    } catch (Throwable t) {
      try {
        return String.valueOf(commandType);
      } catch (Throwable ignored) {
        return "UNKNOWN";
      }
    }
  }

  @Override
  public int argumentCount(Object command) {
    try {
      Object args = (Object) ARGS_OF.invokeExact(command);
      if (args == null) {
        return 0;
      }
      return (int) COUNT_OF.invokeExact(args);
    } catch (Throwable t) {
      return 0;
    }
  }

  @Override
  public byte[] argument(Object command, int index) {
    try {
      if (index < 0) {
        return null;
      }
      Object args = (Object) ARGS_OF.invokeExact(command);
      if (args == null) {
        return null;
      }
      List<?> list = asList((Object) LIST_OF.invokeExact(args));
      if (list == null || index >= list.size()) {
        return null;
      }
      Object argument = list.get(index);
      if (argument == null) {
        return null;
      }
      return ARGUMENTS.get(argument.getClass()).bytes(argument);
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public long argumentSize(Object command, int index) {
    try {
      if (index < 0) {
        return -1;
      }
      Object args = (Object) ARGS_OF.invokeExact(command);
      if (args == null) {
        return -1;
      }
      List<?> list = asList((Object) LIST_OF.invokeExact(args));
      if (list == null || index >= list.size()) {
        return -1;
      }
      Object argument = list.get(index);
      if (argument == null) {
        return -1;
      }
      return ARGUMENTS.get(argument.getClass()).size(argument);
    } catch (Throwable t) {
      return -1;
    }
  }

  @Override
  public long replySize(Object command, Object reply) {
    try {
      if (reply != null) {
        return ReplySizes.of(reply);
      }
      Object output = COMMANDS.get(command.getClass()).output(command);
      if (output == null) {
        return -1;
      }
      MethodHandle get = OUTPUT_GETTERS.get(output.getClass());
      return get == null ? -1 : ReplySizes.of((Object) get.invokeExact(output));
    } catch (Throwable t) {
      return -1;
    }
  }

  @Override
  public Object reply(Object command, Object reply) {
    if (reply != null) {
      return reply;
    }
    try {
      Object output = COMMANDS.get(command.getClass()).output(command);
      MethodHandle get = output == null ? null : OUTPUT_GETTERS.get(output.getClass());
      return get == null ? UNKNOWN_REPLY : (Object) get.invokeExact(output);
    } catch (Throwable t) {
      return UNKNOWN_REPLY;
    }
  }

  // CommandOutput.get() of each output class: the decoded reply, read without encoding anything.
  private static final ClassValue<MethodHandle> OUTPUT_GETTERS =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          try {
            // Resolved on the public CommandOutput: output classes themselves may be private.
            Class<?> commandOutput = findSuperType(type, COMMAND_OUTPUT);
            return commandOutput == null
                ? null
                : publicHandle(commandOutput.getMethod("get"), OBJECT_TO_OBJECT);
          } catch (NoSuchMethodException | RuntimeException e) {
            return null;
          }
        }
      };

  static byte[] integerBytes(long value) {
    if (value >= 0 && value < SMALL_INTEGERS.length) {
      return SMALL_INTEGERS[(int) value];
    }
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] keyBytes(Object key, Object codec) throws Throwable {
    if (key instanceof byte[]) {
      return (byte[]) key;
    }
    if (key instanceof String) {
      return ((String) key).getBytes(StandardCharsets.UTF_8);
    }
    if (key == null || codec == null) {
      return null;
    }
    MethodHandle encodeKey = KEY_ENCODERS.get(codec.getClass());
    if (encodeKey == null) {
      return null;
    }
    Object encoded = (Object) encodeKey.invokeExact(codec, key);
    if (!(encoded instanceof ByteBuffer)) {
      return null;
    }
    ByteBuffer buffer = ((ByteBuffer) encoded).duplicate();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  /** Finds a public method declared by the interface named {@code interfaceName} in the type. */
  static Method findInterfaceMethod(
      Class<?> type, String interfaceName, String methodName, int parameters) {
    Class<?> iface = findSuperType(type, interfaceName);
    if (iface == null) {
      return null;
    }
    for (Method method : iface.getMethods()) {
      if (method.getName().equals(methodName)
          && method.getParameterCount() == parameters
          && !Modifier.isStatic(method.getModifiers())) {
        return method;
      }
    }
    return null;
  }

  static List<?> asList(Object value) {
    return value instanceof List ? (List<?>) value : null;
  }

  static Class<?> findSuperType(Class<?> type, String name) {
    for (Class<?> current = type; current != null; current = current.getSuperclass()) {
      if (current.getName().equals(name)) {
        return current;
      }
      for (Class<?> iface : current.getInterfaces()) {
        Class<?> found = findSuperType(iface, name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  static MethodHandle publicHandle(Method method, MethodType type) {
    try {
      return MethodHandles.publicLookup().unreflect(method).asType(type);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A getter for a (possibly package-private) field, or null when the module forbids it. */
  static MethodHandle fieldGetter(Class<?> declaring, String name, MethodType type) {
    try {
      Field field = declaring.getDeclaredField(name);
      MethodHandles.Lookup lookup =
          MethodHandles.privateLookupIn(declaring, MethodHandles.lookup());
      return lookup.unreflectGetter(field).asType(type);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** {@code getType()}, {@code getArgs()} and {@code getOutput()} of one command class. */
  static final class CommandAccess {
    private static final CommandAccess NONE = new CommandAccess(null, null, null, null);

    /** The {@code RedisCommand} interface the handles call through, or null. */
    final Class<?> declaring;

    final MethodHandle getType;
    final MethodHandle getArgs;
    private final MethodHandle getOutput;

    private CommandAccess(
        Class<?> declaring, MethodHandle getType, MethodHandle getArgs, MethodHandle getOutput) {
      this.declaring = declaring;
      this.getType = getType;
      this.getArgs = getArgs;
      this.getOutput = getOutput;
    }

    static CommandAccess resolve(Class<?> type) {
      // The handles call through this interface, so any instance of it can use them.
      Class<?> redisCommand = findSuperType(type, REDIS_COMMAND);
      if (redisCommand == null) {
        return NONE;
      }
      Method getType = findInterfaceMethod(redisCommand, REDIS_COMMAND, "getType", 0);
      Method getArgs = findInterfaceMethod(redisCommand, REDIS_COMMAND, "getArgs", 0);
      Method getOutput = findInterfaceMethod(redisCommand, REDIS_COMMAND, "getOutput", 0);
      if (getType == null) {
        return NONE;
      }
      return new CommandAccess(
          redisCommand,
          publicHandle(getType, OBJECT_TO_OBJECT),
          getArgs == null ? null : publicHandle(getArgs, OBJECT_TO_OBJECT),
          getOutput == null ? null : publicHandle(getOutput, OBJECT_TO_OBJECT));
    }

    Object output(Object command) throws Throwable {
      return getOutput == null ? null : (Object) getOutput.invokeExact(command);
    }

    Object type(Object command) throws Throwable {
      return getType == null ? null : (Object) getType.invokeExact(command);
    }

    Object args(Object command) throws Throwable {
      return getArgs == null ? null : (Object) getArgs.invokeExact(command);
    }
  }

  /** {@code count()} and the package-private {@code singularArguments} of a CommandArgs class. */
  static final class ArgsAccess {
    /** The {@code CommandArgs} class the handles read, or null. */
    final Class<?> declaring;

    final MethodHandle count;
    final MethodHandle list;

    private ArgsAccess(Class<?> declaring, MethodHandle count, MethodHandle list) {
      this.declaring = declaring;
      this.count = count;
      this.list = list;
    }

    static ArgsAccess resolve(Class<?> type) {
      Class<?> commandArgs = findSuperType(type, COMMAND_ARGS);
      if (commandArgs == null) {
        return new ArgsAccess(null, null, null);
      }
      MethodHandle count = null;
      try {
        count = publicHandle(commandArgs.getMethod("count"), OBJECT_TO_INT);
      } catch (NoSuchMethodException | RuntimeException e) {
        // fall through: the list size is used instead
      }
      MethodHandle list = fieldGetter(commandArgs, "singularArguments", OBJECT_TO_OBJECT);
      return new ArgsAccess(commandArgs, count, list);
    }

    int count(Object args) throws Throwable {
      if (count != null) {
        return (int) count.invokeExact(args);
      }
      List<?> arguments = asList(list(args));
      return arguments == null ? 0 : arguments.size();
    }

    /** The raw {@code singularArguments} value, or null; see {@link #asList}. */
    Object list(Object args) throws Throwable {
      return list == null ? null : (Object) list.invokeExact(args);
    }
  }

  /** How to turn one {@code CommandArgs.SingularArgument} subclass into bytes. */
  static final class ArgumentAccess {
    static final int UNREADABLE = 0;
    static final int BYTES = 1;
    static final int INTEGER = 2;
    static final int DOUBLE = 3;
    static final int STRING = 4;
    static final int KEY = 5;
    static final int VALUE = 6;

    private static final ArgumentAccess NONE = new ArgumentAccess(UNREADABLE, null, null);

    private final int kind;
    private final MethodHandle value;
    private final MethodHandle codec;

    private ArgumentAccess(int kind, MethodHandle value, MethodHandle codec) {
      this.kind = kind;
      this.value = value;
      this.codec = codec;
    }

    static ArgumentAccess resolve(Class<?> type) {
      for (Class<?> current = type; current != null; current = current.getSuperclass()) {
        String name = current.getName();
        if (!name.startsWith(COMMAND_ARGS + "$")) {
          continue;
        }
        String simple = name.substring(COMMAND_ARGS.length() + 1);
        switch (simple) {
          case "BytesArgument":
            return of(BYTES, fieldGetter(current, "val", OBJECT_TO_OBJECT), null);
          case "IntegerArgument":
            return of(INTEGER, fieldGetter(current, "val", OBJECT_TO_LONG), null);
          case "DoubleArgument":
            return of(DOUBLE, fieldGetter(current, "val", OBJECT_TO_DOUBLE), null);
          case "StringArgument":
            return of(STRING, fieldGetter(current, "val", OBJECT_TO_OBJECT), null);
          case "KeyArgument":
            return of(
                KEY,
                fieldGetter(current, "key", OBJECT_TO_OBJECT),
                fieldGetter(current, "codec", OBJECT_TO_OBJECT));
          case "ValueArgument":
            return of(VALUE, fieldGetter(current, "val", OBJECT_TO_OBJECT), null);
          case "CharArrayArgument":
            // Passwords: never read.
            return NONE;
          default:
            // A subclass (ProtocolKeywordArgument extends BytesArgument): read it as its parent.
            continue;
        }
      }
      return NONE;
    }

    private static ArgumentAccess of(int kind, MethodHandle value, MethodHandle codec) {
      return value == null ? NONE : new ArgumentAccess(kind, value, codec);
    }

    /** The argument's size in bytes without encoding it; a String value counts its chars. */
    long size(Object argument) throws Throwable {
      if (kind == VALUE) {
        long packed = ReplySizes.of((Object) value.invokeExact(argument));
        return packed < 0 ? -1 : ReplySizes.bytes(packed);
      }
      byte[] bytes = bytes(argument);
      return bytes == null ? -1 : bytes.length;
    }

    byte[] bytes(Object argument) throws Throwable {
      switch (kind) {
        case BYTES:
          {
            Object bytes = (Object) value.invokeExact(argument);
            return bytes instanceof byte[] ? (byte[]) bytes : null;
          }
        case INTEGER:
          return integerBytes((long) value.invokeExact(argument));
        case DOUBLE:
          return Double.toString((double) value.invokeExact(argument))
              .getBytes(StandardCharsets.US_ASCII);
        case STRING:
          {
            Object text = (Object) value.invokeExact(argument);
            return text instanceof String ? ((String) text).getBytes(StandardCharsets.UTF_8) : null;
          }
        case KEY:
          {
            Object key = (Object) value.invokeExact(argument);
            Object keyCodec = codec == null ? null : (Object) codec.invokeExact(argument);
            return keyBytes(key, keyCodec);
          }
        case VALUE:
          {
            Object val = (Object) value.invokeExact(argument);
            return val instanceof byte[] ? (byte[]) val : null;
          }
        default:
          return null;
      }
    }
  }
}
