package io.stateweave.testinfra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.types.Types;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tools/kafka/kafka.sh}'s topic, produce and consume commands, as a user feeds an ingress
 * and reads an egress by hand: against a real broker, through KAFKA_BOOTSTRAP.
 */
class KafkaScriptToolsTest {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void topicsAreCreatedListedAndDeleted() throws Exception {
    assertThat(run("", "topics", "create", "names", "2").stdout).contains("Created topic names.");
    assertThat(run("", "topics", "list").stdout.lines()).contains("names");
    run("", "topics", "delete", "names");
    assertThat(run("", "topics", "list").stdout.lines()).doesNotContain("names");
  }

  @Test
  void linesGoInAsTypedValuesAndComeOutAsTheyWent() throws Exception {
    run("", "topics", "create", "counts");
    run("alice\t1\nbob\t42\n\nalice\t-3\n", "produce", "counts", "io.statefun.types/int");

    Result consumed = run("", "consume", "counts", "io.statefun.types/int", "3");

    assertThat(consumed.stdout.lines()).containsExactly("alice\t1", "bob\t42", "alice\t-3");
    // what a Stateweave Kafka ingress of valueType int reads: StateFun's int
    assertThat(
            new KafkaRecords(KAFKA.bootstrapServers())
                .readCommittedToEnd("counts").stream()
                    .map(record -> Types.INT.deserialize(record.value())))
        .containsExactly(1, 42, -3);
  }

  @Test
  void aLineThatIsNotOfTheTypeStopsTheProducerNamingIt() throws Exception {
    run("", "topics", "create", "strict");

    Result produced = run("a\t1\nb\tmany\n", "produce", "strict", "io.statefun.types/int");

    assertThat(produced.exitCode).isNotZero();
    assertThat(produced.stderr).contains("line 2: 'many' is not a valid io.statefun.types/int value");
  }

  @Test
  void aTopicThatIsNotThereIsNamed() throws Exception {
    Result produced = run("a\tb\n", "produce", "nowhere");

    assertThat(produced.exitCode).isEqualTo(1);
    assertThat(produced.stderr)
        .contains("topic nowhere does not exist at " + KAFKA.bootstrapServers());
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result run(String input, String... args) throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("stateweave.root", "..")).toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(root.resolve("tools/kafka/kafka.sh").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KAFKA_BOOTSTRAP", KAFKA.bootstrapServers());
    Process process = builder.start();
    process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    // the tools print little; read both after the end
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kafka.sh " + args[0] + " ended").isTrue();
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
