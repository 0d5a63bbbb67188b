package io.stateweave.sdk.entity;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The values arguments and results can be, and their bytes: null, {@link Boolean}, {@link
 * Integer}, {@link Long}, {@link Double}, {@link String}, {@code byte[]} and {@link List}s of
 * these. A closed set, so that requests and results cross the runtime and a client without a
 * schema, and so that a value read back equals the one written.
 */
public final class Values {
  private static final int NULL = 0;
  private static final int BOOLEAN = 1;
  private static final int INT = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int STRING = 5;
  private static final int BYTES = 6;
  private static final int LIST = 7;

  private Values() {}

  /** Throws {@link IllegalArgumentException} naming the class of a value that cannot be carried. */
  public static void check(Object value) {
    if (value == null
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Double
        || value instanceof String
        || value instanceof byte[]) {
      return;
    }
    if (value instanceof List) {
      for (Object element : (List<?>) value) {
        check(element);
      }
      return;
    }
    throw new IllegalArgumentException(
        "A value of "
            + value.getClass().getName()
            + " cannot be an argument or result: use null, Boolean, Integer, Long, Double, String,"
            + " byte[] or a List of these");
  }

  public static void write(DataOutput out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Boolean) {
      out.writeByte(BOOLEAN);
      out.writeBoolean((Boolean) value);
    } else if (value instanceof Integer) {
      out.writeByte(INT);
      out.writeInt((Integer) value);
    } else if (value instanceof Long) {
      out.writeByte(LONG);
      out.writeLong((Long) value);
    } else if (value instanceof Double) {
      out.writeByte(DOUBLE);
      out.writeDouble((Double) value);
    } else if (value instanceof String) {
      out.writeByte(STRING);
      writeBytes(out, ((String) value).getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof byte[]) {
      out.writeByte(BYTES);
      writeBytes(out, (byte[]) value);
    } else if (value instanceof List) {
      List<?> list = (List<?>) value;
      out.writeByte(LIST);
      out.writeInt(list.size());
      for (Object element : list) {
        write(out, element);
      }
    } else {
      check(value);
    }
  }

  public static Object read(DataInput in) throws IOException {
    int tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case BOOLEAN:
        return in.readBoolean();
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case DOUBLE:
        return in.readDouble();
      case STRING:
        return new String(readBytes(in), StandardCharsets.UTF_8);
      case BYTES:
        return readBytes(in);
      case LIST:
        int size = in.readInt();
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          list.add(read(in));
        }
        return Collections.unmodifiableList(list);
      default:
        throw new IOException("Not a value's bytes: unknown tag " + tag);
    }
  }

  /** Equality that compares byte arrays, also inside lists, by content. */
  public static boolean deepEquals(Object a, Object b) {
    if (a instanceof List && b instanceof List) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!deepEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
  }

  private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
