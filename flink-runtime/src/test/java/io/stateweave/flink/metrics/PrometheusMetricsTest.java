package io.stateweave.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.EgressTags;
import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import io.stateweave.flink.ingress.KeepAliveSource;
import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.remote.RemoteSpec;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.flink.translation.FunctionsGraph;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.prometheus.LoopbackPrometheusReporterFactory;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runtime's metrics as a Prometheus server scrapes them from Flink's Prometheus reporter. One
 * job on two subtasks: {@value #RECORDS} ingress records for {@code test/fanout}, each invocation
 * of which sends {@value #SENDS} messages to {@code test/sink} and one to it with a delay of 1 ms,
 * writes {@value #EGRESSES} egress records, leaves one delayed message pending for an hour and
 * cancels another; and one ingress record without an id, which goes to the dead letters. {@code
 * test/sink} writes each message it takes to the egress {@code test/done}. The job is scraped once
 * that egress's sink took every message, as Flink's own metric {@code numRecordsIn} of the sink
 * tells, which none of the runtime's metrics can falsify.
 */
final class PrometheusMetricsTest {
  private static final int PROMETHEUS_PORT = freeLoopbackPort();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(prometheusReporter())
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final int RECORDS = 100;
  static final int SENDS = 3;
  static final int EGRESSES = 2;

  static final TypeName INGRESS = TypeName.parse("test/numbers");
  static final TypeName FANOUT = TypeName.parse("test/fanout");
  static final TypeName SINK = TypeName.parse("test/sink");
  static final TypeName OUT = TypeName.parse("test/out");
  static final TypeName DONE = TypeName.parse("test/done");
  static final int DELIVERED = RECORDS * (SENDS + 1);

  private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
  private static final String FUNCTION = OPERATOR + "stateweave_function_";

  /** The scrape taken once the job's work is done; one job serves every test. */
  private static List<Sample> scraped;

  private static JobClient job;

  @AfterAll
  static void cancel() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
  }

  @Test
  void embeddedFunctionTypesCountTheirInvocations() throws Exception {
    assertThat(sum(FUNCTION + "invocations", FANOUT)).isEqualTo(RECORDS);
    // the sends plus the message delayed by 1 ms, from each fanout invocation
    assertThat(sum(FUNCTION + "invocations", SINK)).isEqualTo(DELIVERED);
  }

  @Test
  void messagesSentCountImmediateSendsOfTheSendingType() throws Exception {
    assertThat(sum(FUNCTION + "messagesSent", FANOUT)).isEqualTo(RECORDS * SENDS);
    assertThat(sum(FUNCTION + "messagesSent", SINK)).isEqualTo(0);
  }

  @Test
  void egressRecordsCountTheRecordsTheTypeWrote() throws Exception {
    assertThat(sum(FUNCTION + "egressRecords", FANOUT)).isEqualTo(RECORDS * EGRESSES);
    assertThat(sum(FUNCTION + "egressRecords", SINK)).isEqualTo(DELIVERED);
  }

  @Test
  void delayedMessagesPendingLeaveOutDeliveredAndCancelledOnes() throws Exception {
    assertThat(sum(FUNCTION + "delayedMessagesPending", FANOUT)).isEqualTo(RECORDS);
    assertThat(sum(FUNCTION + "delayedMessagesPending", SINK)).isEqualTo(0);
  }

  @Test
  void invocationTimeIsSampledOnceInSixtyFourInvocationsFromTheFirst() throws Exception {
    for (TypeName type : List.of(FANOUT, SINK)) {
      List<Sample> invocations = samples(FUNCTION + "invocations", type);
      assertThat(invocations).hasSize(2);
      for (Sample subtask : invocations) {
        long invoked = (long) subtask.value();
        assertThat(invoked).as("invocations of %s in one subtask", type).isPositive();
        Sample timed =
            one(FUNCTION + "invocationTimeNs_count", type, subtask.label("subtask_index"));
        assertThat((long) timed.value())
            .as("timed invocations of %s in subtask %s", type, subtask.label("subtask_index"))
            .isEqualTo((invoked + 63) / 64);
      }
      assertThat(samples(FUNCTION + "invocationTimeNs", type))
          .filteredOn(sample -> "0.5".equals(sample.label("quantile")))
          .hasSize(2)
          .allSatisfy(median -> assertThat(median.value()).isPositive());
    }
  }

  @Test
  void eachDispatcherReportsItsLocalQueueAndFeedbackBacklog() throws Exception {
    assertThat(samples(OPERATOR + "stateweave_localQueueSize"))
        .extracting(Sample::value)
        .containsExactly(0.0, 0.0);
    assertThat(samples(OPERATOR + "stateweave_feedbackBacklog"))
        .extracting(Sample::value)
        .containsExactly(0.0, 0.0);
  }

  @Test
  void theRouterCountsTheBadRecord() throws Exception {
    List<Sample> badRecords = samples(OPERATOR + "stateweave_badRecords");
    assertThat(badRecords)
        .extracting(sample -> sample.label("operator_name"))
        .containsExactly("router_numbers");
    assertThat(badRecords).extracting(Sample::value).containsExactly(1.0);
  }

  @Test
  void flinksWebUiListsTheMetricsOfEachSubtask() throws Exception {
    scraped();
    List<String> listed = new ArrayList<>();
    try {
      Jobs.await(
          "the web UI's metrics of the dispatcher",
          Duration.ofSeconds(30),
          () -> {
            listed.clear();
            listed.addAll(webUiMetrics("functions"));
            return listed.stream().anyMatch(id -> id.contains("stateweave"));
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the job: " + http(jobUrl()), e);
    }
    assertThat(listed)
        .contains(
            "0.functions.stateweave.function.test/fanout.invocations",
            "1.functions.stateweave.function.test/sink.delayedMessagesPending",
            "0.functions.stateweave.localQueueSize",
            "1.functions.stateweave.feedbackBacklog");
  }

  // ---- the job ----

  /** Sends, delays, cancels and writes to the egress on every invocation. */
  static final class Fanout implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {
      String id = context.self().id();
      for (int i = 0; i < SENDS; i++) {
        context.send(new Address(SINK, id + "-" + i), TypedValue.of(i));
      }
      context.sendAfter(Duration.ofMillis(1), new Address(SINK, id), TypedValue.of("soon"));
      context.sendAfter(Duration.ofHours(1), "later", context.self(), TypedValue.of("later"));
      context.sendAfter(Duration.ofHours(1), "cancelled", context.self(), TypedValue.of("no"));
      context.cancelDelayedMessage("cancelled");
      for (int i = 0; i < EGRESSES; i++) {
        context.sendEgress(OUT, TypedValue.of(id));
      }
    }
  }

  /** Tells the egress {@code test/done} of each message it takes. */
  static final class Sink implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {
      context.sendEgress(DONE, TypedValue.of(context.self().id()));
    }
  }

  static final class Functions implements StatefulFunctionsProvider, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public StatefulFunctions functions() {
      return new StatefulFunctions()
          .bind(FANOUT.canonical(), new Fanout())
          .bind(SINK.canonical(), new Sink());
    }
  }

  /**
   * Runs the job (once: a failed wait fails every test, not starting another job), waits until
   * the sink took every message, then scrapes.
   */
  private static synchronized List<Sample> scraped() throws Exception {
    if (job == null) {
      job = start();
      try {
        Jobs.await(
            "every message delivered", Duration.ofSeconds(60), () -> doneRecords() == DELIVERED);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; Stateweave's metrics: " + stateweave(), e);
      }
      scraped = scrape();
    }
    if (scraped == null) {
      throw new AssertionError("the job did not deliver every message; see the first test failed");
    }
    return scraped;
  }

  /** Records the sink of the egress {@code test/done} took, by Flink's count. */
  private static long doneRecords() {
    return (long)
        scrape().stream()
            .filter(sample -> sample.name().equals(OPERATOR + "numRecordsIn"))
            .filter(sample -> sample.label("operator_name").startsWith("done"))
            .mapToDouble(Sample::value)
            .sum();
  }

  private static List<String> stateweave() {
    return scrape().stream()
        .filter(sample -> sample.name().contains("stateweave"))
        .map(sample -> sample.name() + sample.labels().get("function") + "=" + sample.value())
        .toList();
  }

  private static JobClient start() throws Exception {
    StreamExecutionEnvironment env = Jobs.environment();
    env.setParallelism(2);
    List<IngressRecord> records = new ArrayList<>();
    IntStream.range(0, RECORDS)
        .forEach(i -> records.add(new IngressRecord(INGRESS, "n" + i, TypedValue.of(i))));
    records.add(new IngressRecord(INGRESS, null, TypedValue.of("no id")));
    // the keep-alive source keeps the router's task, and with it its metrics, running
    DataStream<IngressRecord> numbers =
        env.fromData(records, IngressRecordSerializer.TYPE_INFO)
            .setParallelism(1)
            .union(
                env.fromSource(
                        new KeepAliveSource(), WatermarkStrategy.noWatermarks(), "keep-alive")
                    .setParallelism(1));
    FunctionsGraph graph =
        FunctionsGraph.build(
            Map.of("numbers", numbers),
            Map.of(INGRESS, List.of(FANOUT)),
            BadRecordPolicy.DEAD_LETTER,
            new DispatcherSpec(
                List.of(),
                List.of(new Functions()),
                Set.of(OUT, DONE),
                RemoteSpec.none(),
                Duration.ofSeconds(1)));
    graph.functions().getSideOutput(EgressTags.of(OUT)).sinkTo(new DiscardingSink<>());
    graph
        .functions()
        .getSideOutput(EgressTags.of(DONE))
        .sinkTo(new DiscardingSink<>())
        .name("done");
    graph.deadLetters().sinkTo(new DiscardingSink<>());
    return env.executeAsync("metrics");
  }

  // ---- the scrape ----

  /**
   * The metric ids Flink's REST API (the web UI's) lists for the job's vertex whose name starts
   * with {@code vertexName} (the operators chained to it follow in the name).
   */
  private static List<String> webUiMetrics(String vertexName) {
    String base = jobUrl();
    JsonNode vertices = get(base).path("vertices");
    List<String> ids = new ArrayList<>();
    for (JsonNode vertex : vertices) {
      if (vertex.path("name").asText().startsWith(vertexName)) {
        get(base + "vertices/" + vertex.path("id").asText() + "/metrics")
            .forEach(metric -> ids.add(metric.path("id").asText()));
      }
    }
    return ids;
  }

  private static String jobUrl() {
    Configuration client = CLUSTER.getClientConfiguration();
    return "http://127.0.0.1:" + client.get(RestOptions.PORT) + "/jobs/" + job.getJobID() + "/";
  }

  private static JsonNode get(String url) {
    try {
      return new ObjectMapper().readTree(http(url));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + url, e);
    }
  }

  private static String http(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot get " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One line of Prometheus' text format: a name, its labels and a value. */
  record Sample(String name, Map<String, String> labels, double value) {
    String label(String key) {
      return labels.get(key);
    }
  }

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)} (\\S+)");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private static List<Sample> scrape() {
    String text = http("http://127.0.0.1:" + PROMETHEUS_PORT + "/metrics");
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher matcher = LINE.matcher(line);
      if (line.startsWith("#") || !matcher.matches()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher label = LABEL.matcher(matcher.group(2));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
    }
    return samples;
  }

  private static List<Sample> samples(String name) throws Exception {
    return scraped().stream().filter(sample -> sample.name().equals(name)).toList();
  }

  private static List<Sample> samples(String name, TypeName type) throws Exception {
    return samplesOf(scraped(), name, type);
  }

  private static List<Sample> samplesOf(List<Sample> samples, String name, TypeName type) {
    return samples.stream()
        .filter(sample -> sample.name().equals(name))
        .filter(sample -> prometheusLabel(type).equals(sample.label("function")))
        .toList();
  }

  /**
   * The label of a function type's metrics: Flink's reporter replaces what Prometheus does not
   * allow in a metric name, also in label values (unless {@code filterLabelValueCharacters} is
   * false).
   */
  private static String prometheusLabel(TypeName type) {
    return switch (type.canonical()) {
      case "test/fanout" -> "test_fanout";
      case "test/sink" -> "test_sink";
      default -> throw new IllegalArgumentException("no label known for " + type);
    };
  }

  private static Sample one(String name, TypeName type, String subtask) throws Exception {
    List<Sample> found =
        samples(name, type).stream()
            .filter(sample -> subtask.equals(sample.label("subtask_index")))
            .toList();
    assertThat(found).as("%s of %s in subtask %s", name, type, subtask).hasSize(1);
    return found.get(0);
  }

  /** The sum over the subtasks. */
  private static long sum(String name, TypeName type) throws Exception {
    List<Sample> perSubtask = samples(name, type);
    assertThat(perSubtask).as("%s of %s, one per subtask", name, type).hasSize(2);
    return sumOf(scraped(), name, type);
  }

  private static long sumOf(List<Sample> samples, String name, TypeName type) {
    return (long) samplesOf(samples, name, type).stream().mapToDouble(Sample::value).sum();
  }

  private static Configuration prometheusReporter() {
    Configuration config = new Configuration();
    config.setString(
        "metrics.reporter.prom.factory.class", LoopbackPrometheusReporterFactory.class.getName());
    config.setString("metrics.reporter.prom.port", String.valueOf(PROMETHEUS_PORT));
    // the web UI's REST API, which the test reads too, on loopback only
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    return config;
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port on the loopback interface", e);
    }
  }
}
