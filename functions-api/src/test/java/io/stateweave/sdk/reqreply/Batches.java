package io.stateweave.sdk.reqreply;

import com.google.protobuf.ByteString;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.ToFunction;

/** Builds {@code ToFunction} requests as the runtime sends them, with the generated classes. */
final class Batches {
  private final ToFunction.InvocationBatchRequest.Builder batch =
      ToFunction.InvocationBatchRequest.newBuilder();

  private Batches(Address target) {
    batch.setTarget(address(target));
  }

  static Batches to(Address target) {
    return new Batches(target);
  }

  /** A state the runtime knows and that has a value. */
  <T> Batches state(ValueSpec<T> spec, T value) {
    batch.addState(
        ToFunction.PersistedValue.newBuilder()
            .setStateName(spec.name())
            .setStateValue(typed(TypedValue.of(spec.type(), value))));
    return this;
  }

  /** A state the runtime knows but that has no value (never set, removed or expired). */
  Batches emptyState(ValueSpec<?> spec) {
    batch.addState(
        ToFunction.PersistedValue.newBuilder()
            .setStateName(spec.name())
            .setStateValue(
                io.stateweave.sdk.reqreply.generated.TypedValue.newBuilder()
                    .setTypename(spec.type().typeName().canonical())
                    .setHasValue(false)));
    return this;
  }

  /** A message from an ingress: no caller. */
  Batches message(TypedValue argument) {
    batch.addInvocations(ToFunction.Invocation.newBuilder().setArgument(typed(argument)));
    return this;
  }

  Batches message(Address caller, TypedValue argument) {
    batch.addInvocations(
        ToFunction.Invocation.newBuilder().setCaller(address(caller)).setArgument(typed(argument)));
    return this;
  }

  ToFunction build() {
    return ToFunction.newBuilder().setInvocation(batch).build();
  }

  static io.stateweave.sdk.reqreply.generated.Address address(Address address) {
    return io.stateweave.sdk.reqreply.generated.Address.newBuilder()
        .setNamespace(address.type().namespace())
        .setType(address.type().name())
        .setId(address.id())
        .build();
  }

  static io.stateweave.sdk.reqreply.generated.TypedValue typed(TypedValue value) {
    return io.stateweave.sdk.reqreply.generated.TypedValue.newBuilder()
        .setTypename(value.typeName().canonical())
        .setHasValue(true)
        .setValue(ByteString.copyFrom(value.bytes()))
        .build();
  }
}
