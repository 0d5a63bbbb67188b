package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command line as a user runs it: a separate JVM serving a provider's functions. */
class RequestReplyServerMainTest {

  @Test
  void servesTheProvidersFunctions() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RequestReplyServer.class.getName(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--path",
                "/statefun",
                "--provider",
                EchoProvider.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String banner = out.readLine();
      assertThat(banner).startsWith("Serving [test/echo] on http://127.0.0.1:");
      URI uri = URI.create(banner.substring(banner.indexOf("http://")));

      HttpResponse<byte[]> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri)
                      .timeout(Duration.ofSeconds(10))
                      .POST(
                          HttpRequest.BodyPublishers.ofByteArray(
                              Batches.to(Address.of("test/echo", "1"))
                                  .message(Address.of("test/caller", "c"), TypedValue.of("ping"))
                                  .build()
                                  .toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(
              FromFunction.parseFrom(response.body())
                  .getInvocationResult()
                  .getOutgoingMessages(0)
                  .getArgument())
          .isEqualTo(Batches.typed(TypedValue.of("ping")));
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
