package io.stateweave.flink.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stateweave.flink.module.FileIngressSpec;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Types;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FileIngressTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final TypeName INGRESS = TypeName.parse("test/lines");

  @TempDir Path dir;

  @Test
  void keyedLinesSplitAtTheFirstDelimiter() throws Exception {
    Path file = write("keyed.txt", "a,hello\n\nb,x,y\nc,\n");

    List<IngressRecord> records =
        IngressBinder.bind(env(), spec(file, ",", Types.STRING.typeName())).executeAndCollect(100);

    assertThat(records)
        .containsExactly(
            new IngressRecord(INGRESS, "a", TypedValue.of("hello")),
            new IngressRecord(INGRESS, "b", TypedValue.of("x,y")),
            new IngressRecord(INGRESS, "c", TypedValue.of("")));
  }

  @Test
  void keyedLinesWithIntValues() throws Exception {
    Path file = write("ints.txt", "k1 => 5\nk2 => -7\n");

    List<IngressRecord> records =
        IngressBinder.bind(env(), spec(file, " => ", Types.INT.typeName())).executeAndCollect(100);

    assertThat(records)
        .containsExactly(
            new IngressRecord(INGRESS, "k1", TypedValue.of(5)),
            new IngressRecord(INGRESS, "k2", TypedValue.of(-7)));
  }

  @Test
  void anUnkeyedLineIsBothIdAndValue() throws Exception {
    Path file = write("plain.txt", "alpha\n\nbeta gamma\n");

    List<IngressRecord> records =
        IngressBinder.bind(env(), spec(file, null, Types.STRING.typeName())).executeAndCollect(100);

    assertThat(records)
        .containsExactly(
            new IngressRecord(INGRESS, "alpha", TypedValue.of("alpha")),
            new IngressRecord(INGRESS, "beta gamma", TypedValue.of("beta gamma")));
  }

  @Test
  void aLineWithoutTheDelimiterFailsTheJobNamingIngressFileAndLine() throws Exception {
    Path file = write("bad.txt", "a,1\nno delimiter here\n");
    DataStream<IngressRecord> stream =
        IngressBinder.bind(env(), spec(file, ",", Types.STRING.typeName()));

    Throwable failure = catchThrowable(() -> stream.executeAndCollect(100));

    assertThat(failure).isNotNull();
    assertThat(ExceptionUtils.findThrowableWithMessage(failure, "no delimiter here"))
        .hasValueSatisfying(
            cause ->
                assertThat(cause.getMessage())
                    .contains("test/lines", file.toString(), "'no delimiter here'"));
  }

  @Test
  void aValueThatDoesNotParseFailsTheJobNamingIngressFileAndLine() throws Exception {
    Path file = write("notint.txt", "a,1\nb,two\n");
    DataStream<IngressRecord> stream =
        IngressBinder.bind(env(), spec(file, ",", Types.INT.typeName()));

    Throwable failure = catchThrowable(() -> stream.executeAndCollect(100));

    assertThat(failure).isNotNull();
    assertThat(ExceptionUtils.findThrowableWithMessage(failure, "'b,two'"))
        .hasValueSatisfying(
            cause ->
                assertThat(cause.getMessage())
                    .contains("test/lines", file.toString(), "'two' is not a valid"));
  }

  @Test
  void operatorsHaveStableUids() throws Exception {
    Path file = write("uids.txt", "a\n");

    DataStream<IngressRecord> stream =
        IngressBinder.bind(env(), spec(file, null, Types.STRING.typeName()));

    assertThat(stream.getTransformation().getUid()).isEqualTo("ingress-test/lines-lines");
    assertThat(stream.getTransformation().getInputs())
        .singleElement()
        .satisfies(source -> assertThat(source.getUid()).isEqualTo("ingress-test/lines"));
  }

  private static StreamExecutionEnvironment env() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = Jobs.environment(conf);
    env.setParallelism(1);
    return env;
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private static FileIngressSpec spec(Path file, String delimiter, TypeName valueType) {
    return new FileIngressSpec(INGRESS, List.of(), file.toString(), delimiter, valueType);
  }
}
