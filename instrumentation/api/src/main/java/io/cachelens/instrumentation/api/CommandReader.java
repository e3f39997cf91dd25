package io.cachelens.instrumentation.api;

/**
 * Reads one client family's command objects for the agent, so that advice only has to hand the
 * object over.
 *
 * <p>Implementations live in the instrumentation module of their client, are registered with {@link
 * RedisEvents#registerReader}, must be thread-safe, must not throw and should not allocate: they
 * are called for every command.
 */
public interface CommandReader {

  /**
   * An identity-stable object naming the command (in both Jedis and Lettuce an enum constant for
   * every built-in command), used by the agent as a cache key; never null.
   */
  Object commandType(Object command);

  /**
   * The command's name as sent on the wire, e.g. {@code "SET"}; called once per distinct command
   * type.
   */
  String commandName(Object commandType);

  /** How many arguments follow the command name. */
  int argumentCount(Object command);

  /**
   * The bytes of argument {@code index} (0 is the first argument after the command name), or null
   * when it cannot be read without encoding a value. The array may be the client's own: callers
   * must not modify or keep it.
   */
  byte[] argument(Object command, int index);

  /**
   * The size in bytes of argument {@code index}, without encoding it where the client would (a
   * String value's length in chars stands in for its UTF-8 length); -1 when unknown.
   */
  default long argumentSize(Object command, int index) {
    byte[] argument = argument(command, index);
    return argument == null ? -1 : argument.length;
  }

  /**
   * The size of a command's reply: its element count in the high 24 bits (saturating; 0 for a value
   * that is not a collection) and its approximate size in bytes in the low 40 bits (saturating); -1
   * when unknown. Collections of more than {@link ReplySizes#WALKED} elements are sized from their
   * first ones.
   *
   * @param reply the reply as the client handed it over, or null when the command holds it
   */
  default long replySize(Object command, Object reply) {
    return ReplySizes.of(reply);
  }

  /** What {@link #reply} returns when the reply cannot be read. */
  Object UNKNOWN_REPLY = new Object();

  /**
   * A completed command's decoded reply, null for a nil reply, or {@link #UNKNOWN_REPLY}; read only
   * to tell whether a conditional write (SETNX, SET NX) wrote anything, never kept.
   *
   * @param reply the reply as the client handed it over, or null when the command holds it
   */
  default Object reply(Object command, Object reply) {
    return reply;
  }
}
