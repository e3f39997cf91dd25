package io.cachelens.testing.redis;

/** An error reply from Redis (a RESP {@code -ERR ...} line), carrying the server's message. */
public final class RespException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception for the given server error text, such as {@code "ERR unknown command"}.
   */
  public RespException(String serverMessage) {
    super(serverMessage);
  }

  /**
   * The first word of the server's message, such as {@code ERR}, {@code NOAUTH} or {@code
   * WRONGTYPE}.
   */
  public String errorCode() {
    String message = getMessage();
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }
}
