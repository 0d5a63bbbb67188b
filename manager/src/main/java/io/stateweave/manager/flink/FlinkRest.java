package io.stateweave.manager.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The part of Flink's REST API the manager uses: jars ({@code /jars/upload}, {@code /jars}, {@code
 * /jars/:id/run}), job status and exceptions, and stop-with-savepoint with its trigger polling.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(250);

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /** {@code timeout} bounds each request, and the wait for a savepoint. */
  public FlinkRest(URI base, Duration timeout) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The REST API's base URL, which also names the cluster in the registry. */
  public String url() {
    return base.toString();
  }

  /** The ids of the jars the cluster holds (a JobManager restart forgets them). */
  public Set<String> jars() {
    Set<String> ids = new HashSet<>();
    for (JsonNode file : request("GET", "jars", null).path("files")) {
      ids.add(file.path("id").asText());
    }
    return ids;
  }

  /** Uploads a job jar ({@code multipart/form-data}, part {@code jarfile}); returns its id. */
  public String upload(Path jar) {
    String boundary = "stateweave-" + UUID.randomUUID();
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
            + jar.getFileName().toString().replace("\"", "")
            + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
    BodyPublisher file;
    try {
      file = BodyPublishers.ofFile(jar);
    } catch (FileNotFoundException e) {
      throw new FlinkException("no job jar at " + jar, e);
    }
    BodyPublisher body =
        BodyPublishers.concat(
            BodyPublishers.ofString(head),
            file,
            BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
    JsonNode answer =
        send(
            HttpRequest.newBuilder(base.resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body),
            "upload " + jar);
    // the answer names the stored file; its name is the jar's id
    String stored = answer.path("filename").asText();
    return Path.of(stored).getFileName().toString();
  }

  /** What {@code /jars/:id/run} takes; null fields are left to the cluster. */
  public record Run(
      String entryClass,
      List<String> programArgs,
      Integer parallelism,
      String savepointPath,
      String jobId) {}

  /** Runs the jar's main on the JobManager, which submits the job; returns the job's id. */
  public String run(String jarId, Run run) {
    ObjectNode body = JSON.createObjectNode();
    if (run.entryClass() != null) {
      body.put("entryClass", run.entryClass());
    }
    body.set("programArgsList", JSON.valueToTree(run.programArgs()));
    if (run.parallelism() != null) {
      body.put("parallelism", run.parallelism());
    }
    if (run.savepointPath() != null) {
      body.put("savepointPath", run.savepointPath());
    }
    if (run.jobId() != null) {
      body.put("jobId", run.jobId());
    }
    return request("POST", "jars/" + jarId + "/run", body).path("jobid").asText();
  }

  /** The job's state and latest root cause; empty when the cluster does not know the job. */
  public Optional<JobStatus> job(String jobId) {
    JsonNode job;
    try {
      job = request("GET", "jobs/" + jobId, null);
    } catch (FlinkException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    String state = job.path("state").asText();
    String cause = null;
    JsonNode entries =
        request("GET", "jobs/" + jobId + "/exceptions", null)
            .path("exceptionHistory")
            .path("entries");
    if (!entries.isEmpty()) {
      // the newest failure comes first
      cause = FlinkErrors.rootCause(entries.get(0).path("stacktrace").asText());
    }
    return Optional.of(new JobStatus(state, cause));
  }

  /**
   * Stops the job with a savepoint into {@code directory} (the cluster's default directory when
   * null) and waits for it; returns the savepoint's path.
   */
  public String stopWithSavepoint(String jobId, String directory) {
    ObjectNode body = JSON.createObjectNode().put("drain", false);
    if (directory != null) {
      body.put("targetDirectory", directory);
    }
    String trigger = request("POST", "jobs/" + jobId + "/stop", body).path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode answer = request("GET", "jobs/" + jobId + "/savepoints/" + trigger, null);
      if (answer.path("status").path("id").asText().equals("COMPLETED")) {
        JsonNode operation = answer.path("operation");
        if (operation.hasNonNull("location")) {
          // the job ends right after its savepoint: "stopped" means ended, as a start expects
          awaitEnded(jobId, deadline);
          return operation.path("location").asText();
        }
        String cause = operation.path("failure-cause").path("stack-trace").asText("");
        throw new FlinkException(
            500,
            "the savepoint of job "
                + jobId
                + " failed: "
                + String.join("; ", FlinkErrors.exceptionLines(cause)));
      }
      if (System.nanoTime() > deadline) {
        throw new FlinkException(
            504, "the savepoint of job " + jobId + " did not complete within " + timeout);
      }
      pause();
    }
  }

  private void awaitEnded(String jobId, long deadline) {
    while (true) {
      Optional<JobStatus> job = job(jobId);
      if (job.isEmpty() || job.get().terminal()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new FlinkException(
            504, "job " + jobId + " took its savepoint but did not end within " + timeout);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkException("interrupted while waiting for Flink", e);
    }
  }

  private JsonNode request(String method, String path, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
    if (body == null) {
      request.method(method, BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, BodyPublishers.ofString(body.toString()));
    }
    return send(request, method + " /" + path);
  }

  private JsonNode send(HttpRequest.Builder request, String what) {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              request.timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FlinkException("cannot reach Flink's REST API at " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkException("interrupted while waiting for Flink", e);
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      throw new FlinkException(
          response.statusCode(),
          FlinkErrors.summary(
              answer.path("errors"),
              "Flink answered " + what + " with HTTP " + response.statusCode()));
    }
    return answer;
  }

  private static JsonNode parse(String body) {
    try {
      return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode().set("errors", JSON.createArrayNode().add(body));
    }
  }
}
