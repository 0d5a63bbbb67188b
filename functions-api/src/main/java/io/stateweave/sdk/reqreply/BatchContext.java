package io.stateweave.sdk.reqreply;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.AddressScopedStorage;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The context of one address for a whole batch: what the function sends is appended to the response
 * in call order, per kind; only the caller changes from one invocation to the next.
 */
final class BatchContext implements Context {
  private final Address self;
  private final BatchStorage storage;
  private final FromFunction.InvocationResponse.Builder response;
  private Address caller;

  BatchContext(
      Address self, BatchStorage storage, FromFunction.InvocationResponse.Builder response) {
    this.self = self;
    this.storage = storage;
    this.response = response;
  }

  void setCaller(Address caller) {
    this.caller = caller;
  }

  @Override
  public Address self() {
    return self;
  }

  @Override
  public Optional<Address> caller() {
    return Optional.ofNullable(caller);
  }

  @Override
  public void send(Address target, TypedValue message) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(message, "message");
    response.addOutgoingMessages(
        FromFunction.Invocation.newBuilder()
            .setTarget(Protos.toProto(target))
            .setArgument(Protos.toProto(message)));
  }

  @Override
  public void sendAfter(Duration delay, Address target, TypedValue message) {
    response.addDelayedInvocations(delayed(delay, target, message));
  }

  @Override
  public void sendAfter(
      Duration delay, String cancellationToken, Address target, TypedValue message) {
    response.addDelayedInvocations(
        delayed(delay, target, message).setCancellationToken(checkToken(cancellationToken)));
  }

  /** Only the runtime knows the pending messages, so this is a request it carries out. */
  @Override
  public void cancelDelayedMessage(String cancellationToken) {
    response.addDelayedInvocations(
        FromFunction.DelayedInvocation.newBuilder()
            .setIsCancellationRequest(true)
            .setCancellationToken(checkToken(cancellationToken)));
  }

  @Override
  public void sendEgress(TypeName egress, TypedValue record) {
    Objects.requireNonNull(egress, "egress");
    Objects.requireNonNull(record, "record");
    response.addOutgoingEgresses(
        FromFunction.EgressMessage.newBuilder()
            .setEgressNamespace(egress.namespace())
            .setEgressType(egress.name())
            .setArgument(Protos.toProto(record)));
  }

  @Override
  public AddressScopedStorage storage() {
    return storage;
  }

  private static FromFunction.DelayedInvocation.Builder delayed(
      Duration delay, Address target, TypedValue message) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(message, "message");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("A delay must not be negative, got " + delay);
    }
    return FromFunction.DelayedInvocation.newBuilder()
        .setDelayInMs(delay.toMillis())
        .setTarget(Protos.toProto(target))
        .setArgument(Protos.toProto(message));
  }

  /** An empty token would read as "no token" on the wire. */
  private static String checkToken(String cancellationToken) {
    Objects.requireNonNull(cancellationToken, "cancellationToken");
    if (cancellationToken.isEmpty()) {
      throw new IllegalArgumentException("A cancellation token must not be empty");
    }
    return cancellationToken;
  }
}
