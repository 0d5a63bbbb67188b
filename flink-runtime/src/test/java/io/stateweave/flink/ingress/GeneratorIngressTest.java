package io.stateweave.flink.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.module.GeneratorIngressSpec;
import io.stateweave.flink.module.GeneratorIngressSpec.Record;
import io.stateweave.flink.module.IngressSpec;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GeneratorIngressTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final TypeName INGRESS = TypeName.parse("test/numbers");
  private static final List<Record> RECORDS =
      List.of(new Record("a", "1"), new Record("b", "-2"), new Record("c", " 30 "));

  @Test
  void emitsTheRecordsInTurnUntilTheCount() throws Exception {
    StreamExecutionEnvironment env = Jobs.environment();
    env.setParallelism(1);

    DataStream<IngressRecord> stream = IngressBinder.bind(env, spec(7, 200));

    assertThat(stream.executeAndCollect(100))
        .containsExactly(
            record("a", 1),
            record("b", -2),
            record("c", 30),
            record("a", 1),
            record("b", -2),
            record("c", 30),
            record("a", 1));
  }

  @Test
  void withoutCountItKeepsGeneratingAtItsRate() throws Exception {
    StreamExecutionEnvironment env = Jobs.environment();
    env.setParallelism(1);

    List<IngressRecord> first = new ArrayList<>();
    try (CloseableIterator<IngressRecord> records =
        IngressBinder.bind(env, spec(-1, 50)).executeAndCollect()) {
      while (first.size() < 5) {
        first.add(records.next());
      }
    }

    assertThat(first)
        .containsExactly(
            record("a", 1), record("b", -2), record("c", 30), record("a", 1), record("b", -2));
  }

  @Test
  void sourceHasAStableUid() {
    StreamExecutionEnvironment env = Jobs.environment();

    DataStream<IngressRecord> stream = IngressBinder.bind(env, spec(1, 1));

    assertThat(stream.getTransformation().getUid()).isEqualTo("ingress-test/numbers");
    assertThat(stream.getTransformation().getName()).contains("test/numbers");
  }

  @Test
  void aValueThatDoesNotParseIsRejectedNamingTheIngress() {
    GeneratorIngressSpec spec =
        new GeneratorIngressSpec(
            INGRESS, List.of(), Types.INT.typeName(), List.of(new Record("a", "one")), 1, 1);

    assertThatThrownBy(() -> IngressBinder.bind(Jobs.environment(), spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/numbers")
        .hasMessageContaining("'one'");
  }

  @Test
  void aRateThatIsNotPositiveIsRejected() {
    assertThatThrownBy(() -> IngressBinder.bind(Jobs.environment(), spec(1, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/numbers")
        .hasMessageContaining("ratePerSecond");
  }

  @Test
  void anUnknownIngressTypeIsRejectedByName() {
    IngressSpec unknown = new UnknownIngress(TypeName.parse("test/other"));

    assertThatThrownBy(() -> IngressBinder.bind(Jobs.environment(), unknown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/other")
        .hasMessageContaining(UnknownIngress.class.getName());
  }

  private record UnknownIngress(TypeName id) implements IngressSpec {
    @Override
    public List<TypeName> targets() {
      return List.of();
    }
  }

  private static GeneratorIngressSpec spec(long count, double ratePerSecond) {
    return new GeneratorIngressSpec(
        INGRESS, List.of(), Types.INT.typeName(), RECORDS, count, ratePerSecond);
  }

  private static IngressRecord record(String id, int value) {
    return new IngressRecord(INGRESS, id, TypedValue.of(value));
  }
}
