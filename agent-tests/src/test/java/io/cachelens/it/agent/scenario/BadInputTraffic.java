package io.cachelens.it.agent.scenario;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A forked service that sends keys no one should have to think about, through Jedis and through
 * Lettuce: binary and invalid UTF-8 keys, the empty key, a 1 MB key, a 1 MB value, hash tags and
 * odd delimiters, and Java strings that cannot be encoded.
 *
 * <p>Every reply is checked against what Redis answers, and fed into a SHA-256 transcript printed
 * at the end ({@link #TRANSCRIPT}), so a test can compare a run under the agent with a run without
 * it. Any unexpected exception ends the process with a non-zero status.
 *
 * <p>What it sends, per client, for each of {@link #CASES}: SET, GET, DEL synchronously, then SET,
 * GET, DEL again in one pipeline (Jedis {@code Pipeline}; Lettuce async with auto-flush off); then
 * synchronously on {@link #BLOB_KEY}: SET of a {@link #BLOB_BYTES}-byte value, GET, STRLEN, LLEN (a
 * WRONGTYPE error the service expects) and DEL; then SET, GET, DEL through the client's String API
 * on {@link #UNENCODABLE_KEY}, a Java string with a lone surrogate. Lettuce uses a byte-array codec
 * connection and a String codec connection; every connection is closed at the end.
 */
public final class BadInputTraffic {
  /** Printed last, with the transcript's hash and command count. */
  public static final String TRANSCRIPT = "TRANSCRIPT";

  public static final byte[] BLOB_KEY = "blob:1".getBytes(StandardCharsets.US_ASCII);
  public static final int BLOB_BYTES = 1 << 20;
  public static final int HUGE_KEY_BYTES = 1 << 20;

  /** A lone high surrogate: both clients encode it as {@code ?}. */
  public static final String UNENCODABLE_KEY = "\uD800:x";

  /** One key and the prefix the README's rules give it. */
  public record Case(String name, byte[] key, String prefix) {}

  public static final List<Case> CASES = cases();

  private final MessageDigest transcript;
  private int commands;

  private BadInputTraffic() throws NoSuchAlgorithmException {
    this.transcript = MessageDigest.getInstance("SHA-256");
  }

  private static List<Case> cases() {
    Random random = new Random(20261123);
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("empty", new byte[0], "<empty>"));
    cases.add(new Case("random high bytes", highBytes(random, 16), "*"));
    cases.add(new Case("overlong NUL", bytes(0xC0, 0x80), "*"));
    cases.add(new Case("UTF-8 of a surrogate", bytes(0xED, 0xA0, 0x80), "*"));
    cases.add(new Case("truncated sequence", bytes(0xE2, 0x82), "*"));
    cases.add(new Case("0xFF 0xFE", bytes(0xFF, 0xFE), "*"));
    cases.add(new Case("NUL byte", bytes(0x00), "*"));
    cases.add(new Case("1 MB of high bytes", highBytes(random, HUGE_KEY_BYTES), "*"));
    cases.add(
        new Case("name then invalid UTF-8", concat("bin:", bytes(0x80, 0x81, 0xFE)), "bin:*"));
    cases.add(new Case("name then random bytes", concat("bin:", highBytes(random, 32)), "bin:*"));
    byte[] huge = new byte[HUGE_KEY_BYTES];
    Arrays.fill(huge, (byte) 'k');
    System.arraycopy(ascii("huge:"), 0, huge, 0, 5);
    cases.add(new Case("1 MB key", huge, "huge:*"));
    cases.add(new Case("hash tag first", ascii("{user:42}:cart"), "{*}:cart"));
    cases.add(new Case("hash tag last", ascii("cart:{42}"), "cart:{*}"));
    cases.add(new Case("empty hash tag", ascii("{}:cart:7"), "{}:cart:*"));
    cases.add(
        new Case(
            "binary hash tag", concat("{", bytes(0xFF, 0x00, 0xFE), ascii("}:bin")), "{*}:bin"));
    cases.add(new Case("unclosed brace", ascii("a{b"), "a{b"));
    cases.add(new Case("second tag is text", ascii("x:{a}:{b}"), "x:{*}:{b}"));
    cases.add(new Case("lone delimiter", ascii(":"), ":"));
    cases.add(new Case("two delimiters", ascii("::"), "::"));
    cases.add(new Case("Spring cache key", ascii("users::42:x"), "users::*"));
    cases.add(new Case("leading delimiter", ascii(":lead"), ":lead"));
    cases.add(new Case("trailing delimiter", ascii("trail:"), "trail:"));
    cases.add(new Case("space", ascii("with space:1"), "with space:*"));
    cases.add(new Case("tab", ascii("tab\tkey:9"), "*"));
    cases.add(new Case("CR LF", ascii("line\r\nbreak:3"), "*"));
    cases.add(new Case("emoji", utf8("\uD83D\uDE00:cart:1"), "\uD83D\uDE00:cart:*"));
    cases.add(new Case("Cyrillic", utf8("ключ:42"), "ключ:*"));
    cases.add(new Case("sub-delimiters", ascii("a|b/c.d-e_f:1"), "a|b/c.d-e_f:*"));
    cases.add(new Case("quote and backslash", ascii("q\"\\:1"), "q\"\\:*"));
    cases.add(new Case("JS line separator", utf8("ls\u2028:1"), "ls\u2028:*"));
    return List.copyOf(cases);
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    byte[] blob = highBytes(new Random(7), BLOB_BYTES);
    BadInputTraffic service = new BadInputTraffic();
    service.jedis(host, port, blob);
    service.lettuce(host, port, blob);
    System.out.println(
        TRANSCRIPT
            + " sha256="
            + HexFormat.of().formatHex(service.transcript.digest())
            + " commands="
            + service.commands);
  }

  private void jedis(String host, int port, byte[] blob) {
    try (Jedis jedis = new Jedis(host, port)) {
      for (int i = 0; i < CASES.size(); i++) {
        byte[] key = CASES.get(i).key();
        byte[] value = value(i);
        expect("OK", record(jedis.set(key, value)), "SET", i);
        expect(value, record(jedis.get(key)), "GET", i);
        expect(1L, record(jedis.del(key)), "DEL", i);
      }
      Pipeline pipeline = jedis.pipelined();
      List<Response<?>> replies = new ArrayList<>();
      for (int i = 0; i < CASES.size(); i++) {
        byte[] key = CASES.get(i).key();
        replies.add(pipeline.set(key, value(i)));
        replies.add(pipeline.get(key));
        replies.add(pipeline.del(key));
      }
      pipeline.sync();
      for (int i = 0; i < CASES.size(); i++) {
        expect("OK", record(replies.get(3 * i).get()), "pipelined SET", i);
        expect(value(i), record(replies.get(3 * i + 1).get()), "pipelined GET", i);
        expect(1L, record(replies.get(3 * i + 2).get()), "pipelined DEL", i);
      }

      expect("OK", record(jedis.set(BLOB_KEY, blob)), "SET blob", -1);
      expect(blob, record(jedis.get(BLOB_KEY)), "GET blob", -1);
      expect((long) BLOB_BYTES, record(jedis.strlen(BLOB_KEY)), "STRLEN blob", -1);
      try {
        jedis.llen(BLOB_KEY);
        throw new IllegalStateException("LLEN of a string did not fail");
      } catch (JedisDataException expected) {
        record(expected);
      }
      expect(1L, record(jedis.del(BLOB_KEY)), "DEL blob", -1);

      expect("OK", record(jedis.set(UNENCODABLE_KEY, "v")), "SET unencodable", -1);
      expect("v", record(jedis.get(UNENCODABLE_KEY)), "GET unencodable", -1);
      expect(1L, record(jedis.del(UNENCODABLE_KEY)), "DEL unencodable", -1);
    }
  }

  private void lettuce(String host, int port, byte[] blob) throws Exception {
    RedisClient client = RedisClient.create(RedisURI.create(host, port));
    try {
      try (StatefulRedisConnection<byte[], byte[]> connection =
          client.connect(ByteArrayCodec.INSTANCE)) {
        RedisCommands<byte[], byte[]> sync = connection.sync();
        for (int i = 0; i < CASES.size(); i++) {
          byte[] key = CASES.get(i).key();
          byte[] value = value(i);
          expect("OK", record(sync.set(key, value)), "SET", i);
          expect(value, record(sync.get(key)), "GET", i);
          expect(1L, record(sync.del(key)), "DEL", i);
        }

        RedisAsyncCommands<byte[], byte[]> async = connection.async();
        List<RedisFuture<?>> replies = new ArrayList<>();
        connection.setAutoFlushCommands(false);
        try {
          for (int i = 0; i < CASES.size(); i++) {
            byte[] key = CASES.get(i).key();
            replies.add(async.set(key, value(i)));
            replies.add(async.get(key));
            replies.add(async.del(key));
          }
          connection.flushCommands();
        } finally {
          connection.setAutoFlushCommands(true);
        }
        for (int i = 0; i < CASES.size(); i++) {
          expect("OK", record(replies.get(3 * i).get(30, TimeUnit.SECONDS)), "async SET", i);
          expect(
              value(i), record(replies.get(3 * i + 1).get(30, TimeUnit.SECONDS)), "async GET", i);
          expect(1L, record(replies.get(3 * i + 2).get(30, TimeUnit.SECONDS)), "async DEL", i);
        }

        expect("OK", record(sync.set(BLOB_KEY, blob)), "SET blob", -1);
        expect(blob, record(sync.get(BLOB_KEY)), "GET blob", -1);
        expect((long) BLOB_BYTES, record(sync.strlen(BLOB_KEY)), "STRLEN blob", -1);
        try {
          sync.llen(BLOB_KEY);
          throw new IllegalStateException("LLEN of a string did not fail");
        } catch (RedisCommandExecutionException expected) {
          record(expected);
        }
        expect(1L, record(sync.del(BLOB_KEY)), "DEL blob", -1);
      }

      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        RedisCommands<String, String> sync = connection.sync();
        expect("OK", record(sync.set(UNENCODABLE_KEY, "v")), "SET unencodable", -1);
        expect("v", record(sync.get(UNENCODABLE_KEY)), "GET unencodable", -1);
        expect(1L, record(sync.del(UNENCODABLE_KEY)), "DEL unencodable", -1);
      }
    } finally {
      client.shutdown();
    }
  }

  /** Adds a reply, or an expected error, to the transcript and returns it. */
  private <T> T record(T reply) {
    commands++;
    String type;
    byte[] content;
    if (reply == null) {
      type = "nil";
      content = new byte[0];
    } else if (reply instanceof byte[]) {
      type = "bytes";
      content = (byte[]) reply;
    } else if (reply instanceof Throwable) {
      type = "error " + reply.getClass().getName();
      content = utf8(String.valueOf(((Throwable) reply).getMessage()));
    } else {
      type = reply.getClass().getSimpleName();
      content = utf8(reply.toString());
    }
    transcript.update(utf8(type + " " + content.length + "\n"));
    transcript.update(content);
    return reply;
  }

  private static void expect(Object expected, Object actual, String command, int index) {
    boolean same =
        expected instanceof byte[]
            ? actual instanceof byte[] && Arrays.equals((byte[]) expected, (byte[]) actual)
            : expected.equals(actual);
    if (!same) {
      throw new IllegalStateException(
          command
              + (index >= 0 ? " of case " + index + " (" + CASES.get(index).name() + ")" : "")
              + " replied "
              + (actual instanceof byte[] ? ((byte[]) actual).length + " bytes" : actual));
    }
  }

  /** The value written to case {@code i}; the audit counts its bytes. */
  public static byte[] value(int i) {
    return ascii("value-" + i);
  }

  private static byte[] highBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    for (int i = 0; i < length; i++) {
      bytes[i] |= (byte) 0x80; // never ':' or '{': no delimiter, no hash tag
    }
    return bytes;
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(String head, byte[]... rest) {
    byte[] result = ascii(head);
    for (byte[] part : rest) {
      byte[] joined = Arrays.copyOf(result, result.length + part.length);
      System.arraycopy(part, 0, joined, result.length, part.length);
      result = joined;
    }
    return result;
  }
}
