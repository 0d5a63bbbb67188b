package io.stateweave.flink.ingress;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.util.Base64;

/**
 * An ingress record that could not be delivered, with why and where it came from. Travels as a
 * typed value of type {@value #TYPE_NAME} (JSON), first through the router, which then fails the
 * job or writes it to the dead-letter egress, as configured.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DeadLetter {
  public static final String TYPE_NAME = "io.stateweave.types/dead-letter";
  public static final Type<DeadLetter> TYPE = Types.json(TYPE_NAME, DeadLetter.class);

  public String ingress;
  public String origin;
  public String reason;
  public String key;
  public String valueType;
  public String valueBase64;

  public DeadLetter() {}

  public DeadLetter(
      TypeName ingress, String origin, String reason, String key, TypeName valueType, byte[] value) {
    this.ingress = ingress.canonical();
    this.origin = origin;
    this.reason = reason;
    this.key = key;
    this.valueType = valueType == null ? null : valueType.canonical();
    this.valueBase64 = value == null ? null : Base64.getEncoder().encodeToString(value);
  }

  public static boolean is(TypedValue value) {
    return value.typeName().equals(TYPE.typeName());
  }

  public TypedValue toTypedValue() {
    return TypedValue.of(TYPE, this);
  }

  /** What a log line or an exception says about it. */
  public String describe() {
    return "record from ingress " + ingress + " (" + origin + ") " + reason;
  }
}
