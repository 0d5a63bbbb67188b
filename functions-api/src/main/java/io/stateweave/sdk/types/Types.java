package io.stateweave.sdk.types;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.stateweave.sdk.TypeName;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The built-in types. The primitives use the type names and the bytes of the StateFun SDKs (see
 * {@link PrimitiveType}), which lets a remote function written with an official SDK read what an
 * embedded one sends, and back. This class is the one place that lists them.
 */
public final class Types {
  private Types() {}

  /** The namespace of protobuf messages packed as {@code Any}. */
  public static final String PROTOBUF_NAMESPACE = "type.googleapis.com";

  public static final PrimitiveType<Boolean> BOOLEAN =
      new PrimitiveType<>(
          "bool",
          Boolean.class,
          new WireCodec<Boolean>() {
            public int size(Boolean v) {
              return CodedOutputStream.computeBoolSize(1, v);
            }

            public boolean isDefault(Boolean v) {
              return !v;
            }

            public void write(CodedOutputStream out, Boolean v) throws IOException {
              out.writeBool(1, v);
            }

            public Boolean read(CodedInputStream in) throws IOException {
              return in.readBool();
            }

            public Boolean defaultValue() {
              return false;
            }
          },
          Types::parseBoolean);

  public static final PrimitiveType<Integer> INT =
      new PrimitiveType<>(
          "int",
          Integer.class,
          new WireCodec<Integer>() {
            public int size(Integer v) {
              return CodedOutputStream.computeSFixed32Size(1, v);
            }

            public boolean isDefault(Integer v) {
              return v == 0;
            }

            public void write(CodedOutputStream out, Integer v) throws IOException {
              out.writeSFixed32(1, v);
            }

            public Integer read(CodedInputStream in) throws IOException {
              return in.readSFixed32();
            }

            public byte[] writeCanonical(Integer v) {
              int i = v;
              return new byte[] {
                0x0D, (byte) i, (byte) (i >>> 8), (byte) (i >>> 16), (byte) (i >>> 24)
              };
            }

            public Integer readCanonical(byte[] b) {
              // field 1, wire type 5 (fixed 32), little-endian
              return b.length == 5 && b[0] == 0x0D
                  ? (b[1] & 0xFF) | (b[2] & 0xFF) << 8 | (b[3] & 0xFF) << 16 | (b[4] & 0xFF) << 24
                  : null;
            }

            public Integer defaultValue() {
              return 0;
            }
          },
          text -> Integer.valueOf(text.trim()));

  public static final PrimitiveType<Long> LONG =
      new PrimitiveType<>(
          "long",
          Long.class,
          new WireCodec<Long>() {
            public int size(Long v) {
              return CodedOutputStream.computeSFixed64Size(1, v);
            }

            public boolean isDefault(Long v) {
              return v == 0L;
            }

            public void write(CodedOutputStream out, Long v) throws IOException {
              out.writeSFixed64(1, v);
            }

            public Long read(CodedInputStream in) throws IOException {
              return in.readSFixed64();
            }

            public byte[] writeCanonical(Long v) {
              long l = v;
              byte[] bytes = new byte[9];
              bytes[0] = 0x09;
              for (int i = 1; i <= 8; i++) {
                bytes[i] = (byte) l;
                l >>>= 8;
              }
              return bytes;
            }

            public Long readCanonical(byte[] b) {
              // field 1, wire type 1 (fixed 64), little-endian
              if (b.length != 9 || b[0] != 0x09) {
                return null;
              }
              long value = 0;
              for (int i = 8; i >= 1; i--) {
                value = value << 8 | (b[i] & 0xFFL);
              }
              return value;
            }

            public Long defaultValue() {
              return 0L;
            }
          },
          text -> Long.valueOf(text.trim()));

  public static final PrimitiveType<Float> FLOAT =
      new PrimitiveType<>(
          "float",
          Float.class,
          new WireCodec<Float>() {
            public int size(Float v) {
              return CodedOutputStream.computeFloatSize(1, v);
            }

            public boolean isDefault(Float v) {
              return Float.floatToRawIntBits(v) == 0;
            }

            public void write(CodedOutputStream out, Float v) throws IOException {
              out.writeFloat(1, v);
            }

            public Float read(CodedInputStream in) throws IOException {
              return in.readFloat();
            }

            public Float defaultValue() {
              return 0f;
            }
          },
          text -> Float.valueOf(text.trim()));

  public static final PrimitiveType<Double> DOUBLE =
      new PrimitiveType<>(
          "double",
          Double.class,
          new WireCodec<Double>() {
            public int size(Double v) {
              return CodedOutputStream.computeDoubleSize(1, v);
            }

            public boolean isDefault(Double v) {
              return Double.doubleToRawLongBits(v) == 0L;
            }

            public void write(CodedOutputStream out, Double v) throws IOException {
              out.writeDouble(1, v);
            }

            public Double read(CodedInputStream in) throws IOException {
              return in.readDouble();
            }

            public Double defaultValue() {
              return 0d;
            }
          },
          text -> Double.valueOf(text.trim()));

  public static final PrimitiveType<String> STRING =
      new PrimitiveType<>(
          "string",
          String.class,
          new WireCodec<String>() {
            public int size(String v) {
              return CodedOutputStream.computeStringSize(1, v);
            }

            public boolean isDefault(String v) {
              return v.isEmpty();
            }

            public void write(CodedOutputStream out, String v) throws IOException {
              out.writeString(1, v);
            }

            public String read(CodedInputStream in) throws IOException {
              return in.readStringRequireUtf8();
            }

            public String defaultValue() {
              return "";
            }
          },
          text -> text);

  /**
   * Every primitive type, each once. Append only, never reorder: the runtime writes a primitive's
   * type name as its position in this list, so a savepoint depends on the order.
   */
  private static final List<PrimitiveType<?>> PRIMITIVES =
      List.of(BOOLEAN, INT, LONG, FLOAT, DOUBLE, STRING);

  private static final Map<TypeName, PrimitiveType<?>> PRIMITIVE_BY_NAME =
      PRIMITIVES.stream()
          .collect(Collectors.toUnmodifiableMap(PrimitiveType::typeName, Function.identity()));

  private static final Map<Class<?>, PrimitiveType<?>> PRIMITIVE_BY_CLASS =
      PRIMITIVES.stream()
          .collect(Collectors.toUnmodifiableMap(PrimitiveType::javaClass, Function.identity()));

  /** StateFun's primitive types, in a fixed order: new ones are only ever added at the end. */
  public static List<PrimitiveType<?>> primitives() {
    return PRIMITIVES;
  }

  /** The primitive type of this name, or null when the name is not one of {@link #primitives()}. */
  public static PrimitiveType<?> primitive(TypeName typeName) {
    return PRIMITIVE_BY_NAME.get(typeName);
  }

  /** The primitive type whose values are of this class, or null when there is none. */
  public static PrimitiveType<?> primitive(Class<?> javaClass) {
    return PRIMITIVE_BY_CLASS.get(javaClass);
  }

  /**
   * A protobuf message type, named {@code type.googleapis.com/<full message name>} so that values
   * of it are exactly a packed {@code Any}.
   */
  public static <M extends Message> Type<M> protobuf(Class<M> messageClass) {
    return new ProtobufType<>(messageClass);
  }

  /** A Java object mapped to and from JSON with Jackson, under a type name of your choice. */
  public static <T> Type<T> json(String typeName, Class<T> javaClass) {
    return new JsonType<>(TypeName.parse(typeName), javaClass);
  }

  /**
   * The type for a Java class: a primitive wrapper, {@code String} or a protobuf message class.
   * Other classes need an explicit {@link #json} type.
   */
  @SuppressWarnings("unchecked")
  public static <T> Type<T> forClass(Class<T> javaClass) {
    Objects.requireNonNull(javaClass, "javaClass");
    Type<?> primitive = primitive(javaClass);
    if (primitive != null) {
      return (Type<T>) primitive;
    }
    if (Message.class.isAssignableFrom(javaClass)) {
      return (Type<T>) protobuf((Class<? extends Message>) javaClass);
    }
    throw new IllegalArgumentException(
        "No built-in type for "
            + javaClass.getName()
            + ": use a protobuf message, a primitive wrapper, String, or Types.json(typeName,"
            + " class)");
  }

  /** Only {@code true} or {@code false}, in any case: not every other text as false. */
  private static Boolean parseBoolean(String text) {
    String trimmed = text.trim();
    if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("not true or false");
    }
    return Boolean.valueOf(trimmed);
  }

  private static final class ProtobufType<M extends Message> implements Type<M> {
    private final TypeName typeName;
    private final Parser<M> parser;

    @SuppressWarnings("unchecked")
    ProtobufType(Class<M> messageClass) {
      Objects.requireNonNull(messageClass, "messageClass");
      try {
        Message defaultInstance =
            (Message) messageClass.getMethod("getDefaultInstance").invoke(null);
        this.typeName =
            TypeName.of(PROTOBUF_NAMESPACE, defaultInstance.getDescriptorForType().getFullName());
        this.parser = (Parser<M>) defaultInstance.getParserForType();
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException(
            messageClass.getName() + " is not a generated protobuf message class", e);
      }
    }

    @Override
    public TypeName typeName() {
      return typeName;
    }

    @Override
    public byte[] serialize(M value) {
      return value.toByteArray();
    }

    @Override
    public M deserialize(byte[] bytes) {
      try {
        return parser.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("Bytes are not a valid " + typeName + " message", e);
      }
    }

    @Override
    public String toString() {
      return typeName.toString();
    }
  }

  private static final class JsonType<T> implements Type<T> {
    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private final TypeName typeName;
    private final Class<T> javaClass;

    JsonType(TypeName typeName, Class<T> javaClass) {
      this.typeName = typeName;
      this.javaClass = Objects.requireNonNull(javaClass, "javaClass");
    }

    @Override
    public TypeName typeName() {
      return typeName;
    }

    @Override
    public byte[] serialize(T value) {
      try {
        return MAPPER.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot write a " + typeName + " value as JSON", e);
      }
    }

    @Override
    public T deserialize(byte[] bytes) {
      try {
        return MAPPER.readValue(bytes, javaClass);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Bytes are not a valid " + typeName + " JSON value for " + javaClass.getName(), e);
      }
    }

    @Override
    public String toString() {
      return typeName.toString();
    }
  }
}
