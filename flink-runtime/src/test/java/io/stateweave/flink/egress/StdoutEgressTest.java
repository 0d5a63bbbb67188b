package io.stateweave.flink.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.ingress.IngressBinder;
import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.message.TypedValueSerializer;
import io.stateweave.flink.module.GeneratorIngressSpec;
import io.stateweave.flink.module.GeneratorIngressSpec.Record;
import io.stateweave.flink.module.StdoutEgressSpec;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Types;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StdoutEgressTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void primitivesPrintAsTheirValue() {
    assertThat(StdoutWriter.line(TypedValue.of("hello world"))).isEqualTo("hello world");
    assertThat(StdoutWriter.line(TypedValue.of(""))).isEqualTo("");
    assertThat(StdoutWriter.line(TypedValue.of(-42))).isEqualTo("-42");
    assertThat(StdoutWriter.line(TypedValue.of(0))).isEqualTo("0");
    assertThat(StdoutWriter.line(TypedValue.of(7L))).isEqualTo("7");
    assertThat(StdoutWriter.line(TypedValue.of(true))).isEqualTo("true");
    assertThat(StdoutWriter.line(TypedValue.of(2.5d))).isEqualTo("2.5");
    assertThat(StdoutWriter.line(TypedValue.of(Types.FLOAT, 1.25f))).isEqualTo("1.25");
  }

  @Test
  void otherTypesPrintAsTypeNameAndBase64() {
    TypedValue json =
        TypedValue.ofBytes(
            TypeName.parse("com.example/user"), "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(StdoutWriter.line(json)).isEqualTo("com.example/user e30=");
  }

  @Test
  void primitiveBytesThatDoNotDecodePrintRaw() {
    TypedValue broken = TypedValue.ofBytes(Types.INT.typeName(), new byte[] {(byte) 0xff});

    assertThat(StdoutWriter.line(broken)).isEqualTo("io.statefun.types/int /w==");
  }

  @Test
  void aJobPrintsOneLinePerRecord() throws Exception {
    StreamExecutionEnvironment env = Jobs.environment();
    env.setParallelism(1);
    GeneratorIngressSpec ingress =
        new GeneratorIngressSpec(
            TypeName.parse("test/words"),
            List.of(),
            Types.STRING.typeName(),
            List.of(new Record("a", "first line"), new Record("b", "second"), new Record("c", "")),
            4,
            100);
    DataStream<TypedValue> values =
        IngressBinder.bind(env, ingress).map(IngressRecord::value, TypedValueSerializer.TYPE_INFO);
    EgressBinder.bind(values, new StdoutEgressSpec(TypeName.parse("test/stdout")));

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      env.execute("stdout egress");
    } finally {
      System.setOut(original);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            String.join(System.lineSeparator(), "first line", "second", "", "first line", ""));
  }
}
