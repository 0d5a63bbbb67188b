package io.stateweave.flink.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.module.GeneratorIngressSpec.Record;
import io.stateweave.flink.module.GeneratorIngressSpec;
import io.stateweave.flink.module.IngressSpec;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void withParallelismEachSubtaskEmitsOneRangeOfTheSequenceInTurn() throws Exception {
    StreamExecutionEnvironment env = Jobs.environment();

    // 4 per second in total, so that both subtasks have taken a range before either is done
    DataStream<IngressRecord> stream = IngressBinder.bind(env, spec(7, 4, 2));

    // 0..6 cut into 0..3 and 4..6; which subtask takes which range is up to Flink
    assertThat(bySubtask(stream).values())
        .containsExactlyInAnyOrder(
            List.of(record("a", 1), record("b", -2), record("c", 30), record("a", 1)),
            List.of(record("b", -2), record("c", 30), record("a", 1)));
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void anUnlimitedRateIsAsFastAsTheJobTakesTheRecords() throws Exception {
    StreamExecutionEnvironment env = Jobs.environment();
    // at the default rate of 10 per second this would take an hour
    int count = 36_000;

    DataStream<IngressRecord> stream =
        IngressBinder.bind(env, spec(count, GeneratorIngressSpec.UNLIMITED_RATE, 2));

    Map<IngressRecord, Long> emitted = new HashMap<>();
    try (CloseableIterator<IngressRecord> records = stream.executeAndCollect()) {
      records.forEachRemaining(record -> emitted.merge(record, 1L, Long::sum));
    }
    assertThat(emitted)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(record("a", 1), 12_000L, record("b", -2), 12_000L, record("c", 30), 12_000L));
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void inParallelItResumesFromASavepointWhereEachSubtaskWas(@TempDir Path savepoints)
      throws Exception {
    Collected.RECORDS.clear();
    List<Record> distinct = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      distinct.add(new Record("r" + i, String.valueOf(i)));
    }
    // 20 per second in total: the savepoint comes when about a quarter is emitted
    GeneratorIngressSpec spec =
        new GeneratorIngressSpec(INGRESS, List.of(), Types.INT.typeName(), distinct, 40, 20, 2);

    StreamExecutionEnvironment first = Jobs.environment();
    IngressBinder.bind(first, spec)
        .map(new Collected(), IngressRecordSerializer.TYPE_INFO)
        .sinkTo(new DiscardingSink<>());
    JobClient running = first.executeAsync("generator before the savepoint");
    Jobs.await("ten records", Duration.ofSeconds(60), () -> Collected.RECORDS.size() >= 10);
    String savepoint =
        running
            .stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
            .get();
    List<IngressRecord> beforeSavepoint = List.copyOf(Collected.RECORDS);

    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second = Jobs.environment(restore);
    IngressBinder.bind(second, spec)
        .map(new Collected(), IngressRecordSerializer.TYPE_INFO)
        .sinkTo(new DiscardingSink<>());
    second.execute("generator after the savepoint");

    assertThat(beforeSavepoint).hasSizeBetween(10, 39);
    List<IngressRecord> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      expected.add(new IngressRecord(INGRESS, "r" + i, TypedValue.of(i)));
    }
    assertThat(Collected.RECORDS).containsExactlyInAnyOrderElementsOf(expected);
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
    return spec(count, ratePerSecond, 1);
  }

  private static GeneratorIngressSpec spec(long count, double ratePerSecond, int parallelism) {
    return new GeneratorIngressSpec(
        INGRESS, List.of(), Types.INT.typeName(), RECORDS, count, ratePerSecond, parallelism);
  }

  /** The records each source subtask emitted, in its order (the tag map is chained to it). */
  private static Map<Integer, List<IngressRecord>> bySubtask(DataStream<IngressRecord> stream)
      throws Exception {
    Map<Integer, List<IngressRecord>> bySubtask = new HashMap<>();
    try (CloseableIterator<Tuple2<Integer, IngressRecord>> tagged =
        stream
            .map(
                new TagWithSubtask(),
                new TupleTypeInfo<Tuple2<Integer, IngressRecord>>(
                    BasicTypeInfo.INT_TYPE_INFO, IngressRecordSerializer.TYPE_INFO))
            .setParallelism(stream.getParallelism())
            .executeAndCollect()) {
      tagged.forEachRemaining(
          pair -> bySubtask.computeIfAbsent(pair.f0, subtask -> new ArrayList<>()).add(pair.f1));
    }
    return bySubtask;
  }

  private static final class TagWithSubtask
      extends RichMapFunction<IngressRecord, Tuple2<Integer, IngressRecord>> {
    @Override
    public Tuple2<Integer, IngressRecord> map(IngressRecord record) {
      return Tuple2.of(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), record);
    }
  }

  /** What passed, on all subtasks and across both jobs of a test. */
  private static final class Collected implements MapFunction<IngressRecord, IngressRecord> {
    static final Queue<IngressRecord> RECORDS = new ConcurrentLinkedQueue<>();

    @Override
    public IngressRecord map(IngressRecord record) {
      RECORDS.add(record);
      return record;
    }
  }

  private static IngressRecord record(String id, int value) {
    return new IngressRecord(INGRESS, id, TypedValue.of(value));
  }
}
