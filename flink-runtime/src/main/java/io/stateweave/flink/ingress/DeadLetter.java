package io.stateweave.flink.ingress;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record that could not be delivered, with why and where it came from. Travels as a typed value
 * of type {@value #TYPE_NAME} (JSON). An ingress record ({@code ingress} set) goes first through
 * the router, which then fails the job or writes it to the dead-letter egress, as configured; a
 * transaction request without a key, with the transactions' id as its ingress, meets the same
 * policy in the transactions' source. A message for a remote function whose call was given up
 * ({@code function} set) comes from the dispatcher, with the endpoint's failure as the reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DeadLetter {
  public static final String TYPE_NAME = "io.stateweave.types/dead-letter";
  public static final Type<DeadLetter> TYPE = Types.json(TYPE_NAME, DeadLetter.class);

  public String ingress;
  public String function;
  public String caller;
  public String origin;
  public String reason;
  public String key;
  public String valueType;
  public String valueBase64;

  public DeadLetter() {}

  public DeadLetter(
      TypeName ingress,
      String origin,
      String reason,
      String key,
      TypeName valueType,
      byte[] value) {
    this.ingress = ingress.canonical();
    this.origin = origin;
    this.reason = reason;
    this.key = key;
    this.valueType = valueType == null ? null : valueType.canonical();
    this.valueBase64 = value == null ? null : Base64.getEncoder().encodeToString(value);
  }

  /** A message for the remote function at {@code target} that could not be delivered. */
  public static DeadLetter forRemoteFunction(
      Address target, Address caller, String reason, TypedValue message) {
    DeadLetter letter = new DeadLetter();
    letter.function = target.type().canonical();
    letter.key = target.id();
    letter.caller = caller == null ? null : caller.type().canonical() + "/" + caller.id();
    letter.origin = "remote function call";
    letter.reason = reason;
    letter.valueType = message.typeName().canonical();
    letter.valueBase64 = Base64.getEncoder().encodeToString(message.bytes());
    return letter;
  }

  /** The origin of a Kafka record's dead letter: where it is in Kafka. */
  public static String kafkaOrigin(ConsumerRecord<?, ?> record) {
    return "topic "
        + record.topic()
        + ", partition "
        + record.partition()
        + ", offset "
        + record.offset();
  }

  public static boolean is(TypedValue value) {
    return value.typeName().equals(TYPE.typeName());
  }

  public TypedValue toTypedValue() {
    return TypedValue.of(TYPE, this);
  }

  /** What a log line or an exception says about it. */
  public String describe() {
    if (function != null) {
      return "message for function " + function + " (id '" + key + "'): " + reason;
    }
    return "record from ingress " + ingress + " (" + origin + ") " + reason;
  }
}
