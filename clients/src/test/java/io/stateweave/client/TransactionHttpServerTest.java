package io.stateweave.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP front, spoken to over real HTTP: {@code POST /transactions/<type>/<function>/<key>}
 * with the arguments as a JSON array answers 200 with the value, 409 with the abort's class and
 * message, the first outcome again for a {@code Request-Id} sent twice, 400 and 405 for requests
 * it cannot submit; it listens on loopback only.
 */
class TransactionHttpServerTest {
  @Order(1)
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Order(2)
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static JobClient job;
  private static TransactionClient client;
  private static TransactionHttpServer server;

  @BeforeAll
  static void start() throws Exception {
    KAFKA.createTopic("http-requests", 1);
    KAFKA.createTopic("http-responses", 1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(100);
    ModuleTranslator.translate(
        env,
        ModuleLoader.parse(
            ClientBank.module(KAFKA.bootstrapServers(), "http-requests", "http-responses"),
            "bank.yaml"));
    job = env.executeAsync("bank over http");
    client =
        TransactionClient.create(
            KAFKA.bootstrapServers(),
            "http-requests",
            "http-responses",
            Duration.ofSeconds(5),
            Map.of());
    server = TransactionHttpServer.start(0, client, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (client != null) {
      client.close();
    }
    if (job != null) {
      job.cancel().get();
    }
  }

  @Test
  void committedTransactionAnswersWithItsValue() throws Exception {
    HttpResponse<String> response = post("/transactions/bank/account/deposit/erin", "[100]", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("committed").booleanValue()).isTrue();
    assertThat(body.get("value").longValue()).isEqualTo(100L);
    assertThat(body.get("requestId").textValue()).isNotEmpty();
    assertThat(body.get("transactionId").longValue()).isPositive();
    assertThat(body.get("sequence").longValue()).isPositive();
  }

  @Test
  void abortedTransactionAnswersWithTheExceptionsClassAndMessage() throws Exception {
    HttpResponse<String> response =
        post("/transactions/bank/account/transfer/frank", "[\"erin\", 5]", "frank-overdraft");

    assertThat(response.statusCode()).isEqualTo(409);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("requestId").textValue()).isEqualTo("frank-overdraft");
    assertThat(body.get("committed").booleanValue()).isFalse();
    assertThat(body.get("error").get("class").textValue())
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(body.get("error").get("message").textValue())
        .isEqualTo("insufficient funds in frank");
    assertThat(body.has("value")).isFalse();
  }

  @Test
  void aRequestIdSentAgainGetsTheFirstOutcome() throws Exception {
    HttpResponse<String> first =
        post("/transactions/bank/account/deposit/grace", "[7]", "grace-deposit");
    HttpResponse<String> again =
        post("/transactions/bank/account/deposit/grace", "[7]", "grace-deposit");

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree(first.body()));
    assertThat(JSON.readTree(post("/transactions/bank/account/balance/grace", "", null).body())
            .get("value")
            .longValue())
        .isEqualTo(7L);
  }

  @Test
  void refusesWhatItCannotSubmit() throws Exception {
    HttpResponse<String> noKey = post("/transactions/bank/account/deposit", "[1]", null);
    HttpResponse<String> notAnArray = post("/transactions/bank/account/deposit/x", "{}", null);
    HttpResponse<String> get =
        HTTP.send(
            HttpRequest.newBuilder(uri("/transactions/bank/account/balance/x")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(noKey.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noKey.body()).get("error").get("message").textValue())
        .isEqualTo(
            "expected a path /transactions/<namespace>/<name>/<function>/<key>, got"
                + " /transactions/bank/account/deposit");
    assertThat(notAnArray.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notAnArray.body()).get("error").get("message").textValue())
        .isEqualTo("expected a JSON array of arguments");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void listensOnLoopbackOnly() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
  }

  private static HttpResponse<String> post(String path, String body, String requestId)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      request.header("Request-Id", requestId);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
