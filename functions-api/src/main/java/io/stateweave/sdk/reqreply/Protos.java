package io.stateweave.sdk.reqreply;

import com.google.protobuf.UnsafeByteOperations;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Expiration;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.FromFunction.ExpirationSpec.ExpireMode;

/**
 * Conversions between the API's values and the request-reply protocol's messages: the one
 * implementation, used by {@link RequestReplyHandler} and by the runtime's client of remote
 * functions. Values are not copied: a {@link TypedValue}'s bytes are never modified.
 */
public final class Protos {
  private Protos() {}

  public static io.stateweave.sdk.reqreply.generated.Address toProto(Address address) {
    return io.stateweave.sdk.reqreply.generated.Address.newBuilder()
        .setNamespace(address.type().namespace())
        .setType(address.type().name())
        .setId(address.id())
        .build();
  }

  /**
   * The address, or null when there is none: the SDKs treat an address whose fields are all empty
   * as absent (the caller of a message from an ingress), so we do too.
   */
  public static Address fromProtoOrNull(io.stateweave.sdk.reqreply.generated.Address address) {
    if (address.getNamespace().isEmpty()
        && address.getType().isEmpty()
        && address.getId().isEmpty()) {
      return null;
    }
    TypeName type;
    try {
      type = TypeName.of(address.getNamespace(), address.getType());
    } catch (IllegalArgumentException e) {
      throw new RequestReplyException(
          "Invalid address (namespace '"
              + address.getNamespace()
              + "', type '"
              + address.getType()
              + "'): "
              + e.getMessage(),
          e);
    }
    return new Address(type, address.getId());
  }

  /** A value that is there: messages and set state always have {@code has_value}. */
  public static io.stateweave.sdk.reqreply.generated.TypedValue toProto(TypedValue value) {
    return io.stateweave.sdk.reqreply.generated.TypedValue.newBuilder()
        .setTypename(value.typeName().canonical())
        .setHasValue(true)
        .setValue(UnsafeByteOperations.unsafeWrap(value.bytes()))
        .build();
  }

  public static TypedValue fromProto(io.stateweave.sdk.reqreply.generated.TypedValue value) {
    TypeName typeName;
    try {
      typeName = TypeName.parse(value.getTypename());
    } catch (IllegalArgumentException e) {
      throw new RequestReplyException("A message has an invalid type name: " + e.getMessage(), e);
    }
    return TypedValue.ofBytes(typeName, value.getValue().toByteArray());
  }

  /** As the SDKs do, a spec that never expires carries no expiration spec at all. */
  public static FromFunction.PersistedValueSpec toProto(ValueSpec<?> spec) {
    FromFunction.PersistedValueSpec.Builder result =
        FromFunction.PersistedValueSpec.newBuilder()
            .setStateName(spec.name())
            .setTypeTypename(spec.type().typeName().canonical());
    Expiration expiration = spec.expiration();
    if (expiration.mode() != Expiration.Mode.NONE) {
      result.setExpirationSpec(
          FromFunction.ExpirationSpec.newBuilder()
              .setMode(
                  expiration.mode() == Expiration.Mode.AFTER_WRITE
                      ? ExpireMode.AFTER_WRITE
                      : ExpireMode.AFTER_INVOKE)
              .setExpireAfterMillis(expiration.duration().toMillis()));
    }
    return result.build();
  }
}
