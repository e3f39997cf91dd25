package io.cachelens.testing.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Helpers that turn OTLP attribute lists, values and ids into plain Java values. */
public final class OtlpAttributes {

  private static final HexFormat HEX = HexFormat.of();

  private OtlpAttributes() {}

  /**
   * The text form of a value: strings as they are, booleans and numbers via {@code toString},
   * arrays as {@code [a, b]}, key-value lists as {@code {k=v}}, bytes as lowercase hex, and {@code
   * null} for an unset value.
   */
  public static String text(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case DOUBLE_VALUE:
        return Double.toString(value.getDoubleValue());
      case ARRAY_VALUE:
        return value.getArrayValue().getValuesList().stream()
            .map(OtlpAttributes::text)
            .collect(Collectors.joining(", ", "[", "]"));
      case KVLIST_VALUE:
        return value.getKvlistValue().getValuesList().stream()
            .map(kv -> kv.getKey() + "=" + text(kv.getValue()))
            .collect(Collectors.joining(", ", "{", "}"));
      case BYTES_VALUE:
        return hex(value.getBytesValue());
      case STRING_VALUE_STRINDEX:
        return "strindex:" + value.getStringValueStrindex();
      default:
        return null;
    }
  }

  /** The value under {@code key}, or null when the list has no such key. Last one wins. */
  public static AnyValue value(List<KeyValue> attributes, String key) {
    AnyValue found = null;
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key)) {
        found = attribute.getValue();
      }
    }
    return found;
  }

  /** The text form of the value under {@code key}, or null when absent. */
  public static String text(List<KeyValue> attributes, String key) {
    AnyValue value = value(attributes, key);
    return value == null ? null : text(value);
  }

  /**
   * The integer value under {@code key}, or null when absent.
   *
   * @throws IllegalArgumentException when the value is present but not an integer
   */
  public static Long longValue(List<KeyValue> attributes, String key) {
    AnyValue value = value(attributes, key);
    if (value == null) {
      return null;
    }
    if (value.getValueCase() != AnyValue.ValueCase.INT_VALUE) {
      throw wrongType(key, value, "an int");
    }
    return value.getIntValue();
  }

  /**
   * The floating-point value under {@code key} (integers are widened), or null when absent.
   *
   * @throws IllegalArgumentException when the value is present but not a number
   */
  public static Double doubleValue(List<KeyValue> attributes, String key) {
    AnyValue value = value(attributes, key);
    if (value == null) {
      return null;
    }
    switch (value.getValueCase()) {
      case DOUBLE_VALUE:
        return value.getDoubleValue();
      case INT_VALUE:
        return (double) value.getIntValue();
      default:
        throw wrongType(key, value, "a number");
    }
  }

  /**
   * The boolean value under {@code key}, or null when absent.
   *
   * @throws IllegalArgumentException when the value is present but not a boolean
   */
  public static Boolean booleanValue(List<KeyValue> attributes, String key) {
    AnyValue value = value(attributes, key);
    if (value == null) {
      return null;
    }
    if (value.getValueCase() != AnyValue.ValueCase.BOOL_VALUE) {
      throw wrongType(key, value, "a bool");
    }
    return value.getBoolValue();
  }

  /**
   * The text forms of the elements of the array under {@code key}, or null when absent.
   *
   * @throws IllegalArgumentException when the value is present but not an array
   */
  public static List<String> textList(List<KeyValue> attributes, String key) {
    AnyValue value = value(attributes, key);
    if (value == null) {
      return null;
    }
    if (value.getValueCase() != AnyValue.ValueCase.ARRAY_VALUE) {
      throw wrongType(key, value, "an array");
    }
    return value.getArrayValue().getValuesList().stream()
        .map(OtlpAttributes::text)
        .collect(Collectors.toUnmodifiableList());
  }

  /** The failure for a value present under {@code key} but of another type than asked for. */
  private static IllegalArgumentException wrongType(String key, AnyValue value, String wanted) {
    return new IllegalArgumentException(
        "attribute "
            + key
            + " is "
            + value.getValueCase()
            + " '"
            + text(value)
            + "', not "
            + wanted);
  }

  /** All attributes as an unmodifiable, insertion-ordered map of key to text form. */
  public static Map<String, String> toMap(List<KeyValue> attributes) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue attribute : attributes) {
      map.put(attribute.getKey(), text(attribute.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }

  /** Lowercase hex of an id such as a trace or span id; empty for an empty id. */
  public static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }
}
