package io.stateweave.manager.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flink's REST API as far as the manager uses it, in memory, on loopback: jars are uploaded and
 * run, jobs run until stopped with a savepoint or told to fail; refusals answer as Flink does, a
 * stack trace inside {@code {"errors": [...]}}. Tests read what it was asked.
 */
public final class FakeFlink implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Set<String> jars = ConcurrentHashMap.newKeySet();
  private final Map<String, String> jobs = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final List<JsonNode> runs = new CopyOnWriteArrayList<>();
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicInteger savepoints = new AtomicInteger();
  private volatile String refusal;

  private FakeFlink(HttpServer server) {
    this.server = server;
  }

  public static FakeFlink start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeFlink flink = new FakeFlink(server);
    server.createContext("/", flink::handle);
    server.start();
    return flink;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** From now on every run is refused with a main method that threw {@code message}. */
  public void refuseRuns(String message) {
    refusal = message;
  }

  /** The job fails for good (FAILED) with {@code cause} as its root cause. */
  public void fail(String jobId, String cause) {
    jobs.put(jobId, "FAILED");
    failures.put(jobId, cause);
  }

  /** Forgets every job and jar, as a restarted JobManager does. */
  public void forgetEverything() {
    jobs.clear();
    jars.clear();
  }

  public String state(String jobId) {
    return jobs.get(jobId);
  }

  public int uploads() {
    return uploads.get();
  }

  /** The bodies of the runs asked for, in order. */
  public List<JsonNode> runs() {
    return List.copyOf(runs);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      byte[] body = exchange.getRequestBody().readAllBytes();
      String[] parts = path.substring(1).split("/");
      if (method.equals("POST") && path.equals("/jars/upload")) {
        String id = "jar-" + uploads.incrementAndGet() + "_job.jar";
        jars.add(id);
        answer(exchange, 200, Map.of("filename", "/tmp/flink-web/" + id, "status", "success"));
      } else if (method.equals("GET") && path.equals("/jars")) {
        answer(exchange, 200, Map.of("files", jars.stream().map(id -> Map.of("id", id)).toList()));
      } else if (method.equals("POST") && parts[0].equals("jars") && parts[2].equals("run")) {
        run(exchange, parts[1], JSON.readTree(body));
      } else if (parts[0].equals("jobs") && jobs.containsKey(parts[1])) {
        job(exchange, method, parts);
      } else {
        answer(exchange, 404, errors("Job " + path + " not found"));
      }
    } finally {
      exchange.close();
    }
  }

  private void run(HttpExchange exchange, String jarId, JsonNode body) throws IOException {
    runs.add(body);
    if (!jars.contains(jarId)) {
      answer(exchange, 400, errors("Jar file /tmp/flink-web/" + jarId + " does not exist"));
    } else if (refusal != null) {
      answer(
          exchange,
          500,
          errors(
              // as Flink 2.2 answers a main that threw: the cause inside its wrappers
              "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute"
                  + " application.\n\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler"
                  + ".lambda$handleRequest$1(JarRunHandler.java:1)\nCaused by:"
                  + " java.util.concurrent.CompletionException:"
                  + " org.apache.flink.util.FlinkRuntimeException: Could not execute application."
                  + "\nCaused by: org.apache.flink.util.FlinkRuntimeException: Could not execute"
                  + " application.\n\t... 9 more\nCaused by:"
                  + " org.apache.flink.client.program.ProgramInvocationException: The main method"
                  + " caused an error: "
                  + refusal
                  + "\nCaused by: java.lang.IllegalArgumentException: "
                  + refusal
                  + "\n\t... 12 more\n"));
    } else {
      String jobId = body.path("jobId").asText();
      jobs.put(jobId, "RUNNING");
      answer(exchange, 200, Map.of("jobid", jobId));
    }
  }

  private void job(HttpExchange exchange, String method, String[] parts) throws IOException {
    String jobId = parts[1];
    if (parts.length == 2) {
      answer(exchange, 200, Map.of("jid", jobId, "state", jobs.get(jobId)));
    } else if (parts[2].equals("exceptions")) {
      String cause = failures.get(jobId);
      List<Object> entries =
          cause == null
              ? List.of()
              : List.of(
                  Map.of(
                      "exceptionName",
                      "org.apache.flink.runtime.JobException",
                      "stacktrace",
                      "org.apache.flink.runtime.JobException: Recovery is suppressed\n"
                          + "\tat x.y(Z.java:1)\n"
                          + "Caused by: "
                          + cause
                          + "\n\tat a.b(C.java:2)\n"));
      answer(exchange, 200, Map.of("exceptionHistory", Map.of("entries", entries)));
    } else if (method.equals("POST") && parts[2].equals("stop")) {
      answer(exchange, 200, Map.of("request-id", "trigger-" + jobId));
    } else if (parts[2].equals("savepoints")) {
      jobs.put(jobId, "FINISHED");
      String location = "file:/savepoints/savepoint-" + savepoints.incrementAndGet();
      answer(
          exchange,
          200,
          Map.of("status", Map.of("id", "COMPLETED"), "operation", Map.of("location", location)));
    } else {
      answer(exchange, 404, errors("no such endpoint"));
    }
  }

  private static Map<String, Object> errors(String... errors) {
    return Map.of("errors", List.of(errors));
  }

  private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
