package io.cachelens.instrumentation.api;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Sizes decoded replies for {@link CommandReader#replySize}: element count and approximate bytes,
 * packed in one long so that the per-command path allocates nothing.
 */
public final class ReplySizes {
  /** Collections larger than this are sized from their first {@value} elements. */
  public static final int WALKED = 1024;

  private static final int BYTE_BITS = 40;
  private static final long MAX_BYTES = (1L << BYTE_BITS) - 1;
  private static final long MAX_ELEMENTS = (1L << (63 - BYTE_BITS)) - 1;

  private ReplySizes() {}

  /** Packs an element count and a byte size (both saturating). */
  public static long pack(long elements, long bytes) {
    return Math.min(Math.max(0, elements), MAX_ELEMENTS) << BYTE_BITS
        | Math.min(Math.max(0, bytes), MAX_BYTES);
  }

  /** The element count of a packed size. */
  public static long elements(long packed) {
    return packed < 0 ? 0 : packed >>> BYTE_BITS;
  }

  /** The bytes of a packed size. */
  public static long bytes(long packed) {
    return packed < 0 ? 0 : packed & MAX_BYTES;
  }

  /** The size of a decoded reply; -1 for null and types it cannot size. */
  public static long of(Object reply) {
    if (reply == null) {
      return -1;
    }
    if (reply instanceof byte[]) {
      return pack(0, ((byte[]) reply).length);
    }
    if (reply instanceof CharSequence) {
      return pack(0, ((CharSequence) reply).length());
    }
    if (reply instanceof ByteBuffer) {
      return pack(0, ((ByteBuffer) reply).remaining());
    }
    if (reply instanceof Number || reply instanceof Boolean) {
      return pack(0, 8);
    }
    if (reply instanceof List) {
      List<?> list = (List<?>) reply;
      int size = list.size();
      long bytes = 0;
      int walked = Math.min(size, WALKED);
      for (int i = 0; i < walked; i++) {
        bytes += flatBytes(list.get(i));
      }
      return pack(size, walked == 0 ? 0 : bytes * size / walked);
    }
    if (reply instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) reply;
      int size = map.size();
      long bytes = 0;
      int walked = 0;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (walked++ == WALKED) {
          break;
        }
        bytes += flatBytes(entry.getKey()) + flatBytes(entry.getValue());
      }
      walked = Math.min(walked, WALKED);
      return pack(size, walked == 0 ? 0 : bytes * size / walked);
    }
    if (reply instanceof Collection) {
      Collection<?> collection = (Collection<?>) reply;
      int size = collection.size();
      long bytes = 0;
      int walked = 0;
      for (Object element : collection) {
        if (walked++ == WALKED) {
          break;
        }
        bytes += flatBytes(element);
      }
      walked = Math.min(walked, WALKED);
      return pack(size, walked == 0 ? 0 : bytes * size / walked);
    }
    return -1;
  }

  private static long flatBytes(Object element) {
    if (element instanceof byte[]) {
      return ((byte[]) element).length;
    }
    if (element instanceof CharSequence) {
      return ((CharSequence) element).length();
    }
    if (element instanceof ByteBuffer) {
      return ((ByteBuffer) element).remaining();
    }
    return element == null ? 0 : 8;
  }
}
