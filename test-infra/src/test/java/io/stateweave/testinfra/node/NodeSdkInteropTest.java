package io.stateweave.testinfra.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.stateweave.sdk.reqreply.generated.Address;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.FromFunction.ExpirationSpec.ExpireMode;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueMutation.MutationType;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import io.stateweave.sdk.reqreply.generated.TypedValue;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wire compatibility with the official StateFun JavaScript SDK: requests built with our generated
 * protocol classes and our types, sent over HTTP to functions written with the SDK, and answers
 * read back with the same classes and types.
 */
class NodeSdkInteropTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static NodeFunctionServer node;

  @BeforeAll
  static void startNode() {
    node = NodeFunctionServer.start();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void counterAsksForItsStateWithTheExpiration() throws Exception {
    FromFunction answer =
        post(batch(address("remote/counter", "c1")).addInvocations(message(null, "x")));

    assertThat(answer.hasIncompleteInvocationContext()).isTrue();
    assertThat(answer.getIncompleteInvocationContext().getMissingValuesList())
        .containsExactly(
            FromFunction.PersistedValueSpec.newBuilder()
                .setStateName("count")
                .setTypeTypename("io.statefun.types/int")
                .setExpirationSpec(
                    FromFunction.ExpirationSpec.newBuilder()
                        .setMode(ExpireMode.AFTER_WRITE)
                        .setExpireAfterMillis(24 * 60 * 60 * 1000L))
                .build());
  }

  @Test
  void counterCountsABatchFromEmptyState() throws Exception {
    FromFunction answer =
        post(
            batch(address("remote/counter", "c1"))
                .addState(state("count", absent(Types.INT)))
                .addInvocations(message(null, "a"))
                .addInvocations(message(address("remote/greeter", "g"), "b")));

    FromFunction.InvocationResponse response = answer.getInvocationResult();
    assertThat(response.getStateMutationsList()).hasSize(1);
    FromFunction.PersistedValueMutation mutation = response.getStateMutations(0);
    assertThat(mutation.getStateName()).isEqualTo("count");
    assertThat(mutation.getMutationType()).isEqualTo(MutationType.MODIFY);
    assertThat(mutation.getStateValue().getTypename()).isEqualTo("io.statefun.types/int");
    assertThat(mutation.getStateValue().getHasValue()).isTrue();
    assertThat(read(Types.INT, mutation.getStateValue())).isEqualTo(2);
    assertThat(response.getOutgoingEgressesList())
        .allSatisfy(
            egress -> {
              assertThat(egress.getEgressNamespace()).isEqualTo("test");
              assertThat(egress.getEgressType()).isEqualTo("out");
              assertThat(egress.getArgument().getTypename()).isEqualTo("io.statefun.types/string");
            });
    assertThat(egressStrings(response)).containsExactly("c1:1", "c1:2");
    assertThat(response.getOutgoingMessagesList()).isEmpty();
  }

  @Test
  void counterReadsStateWrittenWithOurIntType() throws Exception {
    FromFunction answer =
        post(
            batch(address("remote/counter", "c2"))
                .addState(state("count", value(Types.INT, 41)))
                .addInvocations(message(null, "x")));

    assertThat(read(Types.INT, answer.getInvocationResult().getStateMutations(0).getStateValue()))
        .isEqualTo(42);
    assertThat(egressStrings(answer.getInvocationResult())).containsExactly("c2:42");
  }

  @Test
  void greeterRepliesToItsCaller() throws Exception {
    Address caller = address("example/caller", "k");
    FromFunction answer =
        post(batch(address("remote/greeter", "g1")).addInvocations(message(caller, "Ann")));

    FromFunction.InvocationResponse response = answer.getInvocationResult();
    assertThat(response.getOutgoingMessagesList()).hasSize(1);
    assertThat(response.getOutgoingMessages(0).getTarget()).isEqualTo(caller);
    assertThat(read(Types.STRING, response.getOutgoingMessages(0).getArgument()))
        .isEqualTo("Hello Ann!");
    assertThat(response.getStateMutationsList()).isEmpty();
  }

  @Test
  void delayerSendsItselfACancellableDelayedMessage() throws Exception {
    Address self = address("remote/delayer", "d1");
    FromFunction answer = post(batch(self).addInvocations(message(null, "start:1500")));

    List<FromFunction.DelayedInvocation> delayed =
        answer.getInvocationResult().getDelayedInvocationsList();
    assertThat(delayed).hasSize(1);
    FromFunction.DelayedInvocation invocation = delayed.get(0);
    assertThat(invocation.getIsCancellationRequest()).isFalse();
    assertThat(invocation.getDelayInMs()).isEqualTo(1500);
    assertThat(invocation.getTarget()).isEqualTo(self);
    assertThat(invocation.getCancellationToken()).isEqualTo("d1-timer");
    assertThat(read(Types.STRING, invocation.getArgument())).isEqualTo("fire");
  }

  @Test
  void delayerCancelsByTokenAndReportsWhenItFires() throws Exception {
    Address self = address("remote/delayer", "d1");
    FromFunction answer =
        post(
            batch(self)
                .addInvocations(message(null, "cancel"))
                .addInvocations(message(self, "fire")));

    FromFunction.InvocationResponse response = answer.getInvocationResult();
    assertThat(response.getDelayedInvocationsList())
        .containsExactly(
            FromFunction.DelayedInvocation.newBuilder()
                .setIsCancellationRequest(true)
                .setCancellationToken("d1-timer")
                .build());
    assertThat(egressStrings(response)).containsExactly("d1:fired");
  }

  @Test
  void anUnknownFunctionTypeIsA500() throws Exception {
    HttpResponse<byte[]> response =
        send(
            ToFunction.newBuilder()
                .setInvocation(
                    batch(address("remote/nope", "1")).addInvocations(message(null, "x")))
                .build());

    assertThat(response.statusCode()).isEqualTo(500);
  }

  private static FromFunction post(ToFunction.InvocationBatchRequest.Builder batch)
      throws Exception {
    HttpResponse<byte[]> response = send(ToFunction.newBuilder().setInvocation(batch).build());
    assertThat(response.statusCode()).as("HTTP status; see %s", node.logFile()).isEqualTo(200);
    return FromFunction.parseFrom(response.body());
  }

  private static HttpResponse<byte[]> send(ToFunction request) throws Exception {
    String type = request.getInvocation().getTarget().getType();
    return CLIENT.send(
        HttpRequest.newBuilder(node.url("statefun/" + type))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static ToFunction.InvocationBatchRequest.Builder batch(Address target) {
    return ToFunction.InvocationBatchRequest.newBuilder().setTarget(target);
  }

  private static Address address(String functionType, String id) {
    int slash = functionType.lastIndexOf('/');
    return Address.newBuilder()
        .setNamespace(functionType.substring(0, slash))
        .setType(functionType.substring(slash + 1))
        .setId(id)
        .build();
  }

  private static ToFunction.Invocation message(Address caller, String text) {
    ToFunction.Invocation.Builder invocation =
        ToFunction.Invocation.newBuilder().setArgument(value(Types.STRING, text));
    if (caller != null) {
      invocation.setCaller(caller);
    }
    return invocation.build();
  }

  private static ToFunction.PersistedValue state(String name, TypedValue value) {
    return ToFunction.PersistedValue.newBuilder().setStateName(name).setStateValue(value).build();
  }

  private static <T> TypedValue value(Type<T> type, T value) {
    return TypedValue.newBuilder()
        .setTypename(type.typeName().canonical())
        .setHasValue(true)
        .setValue(ByteString.copyFrom(type.serialize(value)))
        .build();
  }

  private static TypedValue absent(Type<?> type) {
    return TypedValue.newBuilder().setTypename(type.typeName().canonical()).build();
  }

  private static <T> T read(Type<T> type, TypedValue value) {
    assertThat(value.getTypename()).isEqualTo(type.typeName().canonical());
    return type.deserialize(value.getValue().toByteArray());
  }

  private static List<String> egressStrings(FromFunction.InvocationResponse response) {
    return response.getOutgoingEgressesList().stream()
        .map(egress -> read(Types.STRING, egress.getArgument()))
        .collect(Collectors.toList());
  }
}
