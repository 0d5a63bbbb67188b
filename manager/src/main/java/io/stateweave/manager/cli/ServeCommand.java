package io.stateweave.manager.cli;

import io.stateweave.manager.definition.DefinitionKinds;
import io.stateweave.manager.flink.FlinkRest;
import io.stateweave.manager.http.ManagerServer;
import io.stateweave.manager.registry.Registry;
import io.stateweave.manager.service.ManagerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stateweave serve}: runs the manager until the process is stopped. */
@Command(name = "serve", description = "Runs the manager service.")
final class ServeCommand implements Callable<Integer> {
  /** Not an exit code: tells main that the server runs on and the JVM must not exit. */
  static final int SERVING = -1;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description = "The address to listen on (default: ${DEFAULT-VALUE}, loopback only).")
  String bind;

  @Option(
      names = "--port",
      defaultValue = "8090",
      description = "Port (default: ${DEFAULT-VALUE}; 0: any).")
  int port;

  @Option(
      names = "--data-dir",
      defaultValue = ".stateweave-manager",
      description = "The registry and the definitions' sources (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--flink-url", description = "Flink's REST API, e.g. http://127.0.0.1:8081.")
  URI flinkUrl;

  @Option(
      names = "--flink-conf",
      description =
          "A Flink configuration directory (its config.yaml's rest.address and rest.port name"
              + " the REST API), e.g. .flink-local/conf of tools/flink/flink-cluster.sh.")
  Path flinkConf;

  @Option(names = "--job-jar", description = "The job jar of definitions that name none.")
  Path jobJar;

  @Option(
      names = "--token",
      defaultValue = "${env:STATEWEAVE_TOKEN}",
      description = "Require this bearer token on every request (default: $STATEWEAVE_TOKEN).")
  String token;

  @Option(
      names = "--flink-timeout",
      defaultValue = "PT5M",
      description = "How long a Flink request or a savepoint may take (default: ${DEFAULT-VALUE}).")
  Duration flinkTimeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    URI flink = flinkUrl != null ? flinkUrl : fromConf();
    Files.createDirectories(dataDir);
    Registry registry = Registry.open(dataDir, Clock.systemUTC());
    ManagerService service =
        new ManagerService(
            registry,
            new FlinkRest(flink, flinkTimeout),
            DefinitionKinds.standard(),
            dataDir,
            jobJar);
    try {
      service.recover();
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("stateweave: not recovered yet: " + e.getMessage());
    }
    ManagerServer server =
        ManagerServer.start(service, new InetSocketAddress(bind, port), blankToNull(token));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  registry.close();
                },
                "stateweave-manager-shutdown"));
    spec.commandLine()
        .getOut()
        .println(
            "stateweave manager on "
                + server.uri()
                + " for Flink at "
                + flink
                + (token == null || token.isBlank() ? "" : " (bearer token required)"));
    spec.commandLine().getOut().flush();
    return SERVING;
  }

  private URI fromConf() {
    if (flinkConf == null) {
      return URI.create("http://127.0.0.1:8081");
    }
    Path file = flinkConf.resolve("config.yaml");
    Map<String, String> settings = new HashMap<>();
    try {
      // flat "key: value" lines, as Flink's standalone scripts and tools/flink write them
      for (String line : Files.readAllLines(file)) {
        int colon = line.indexOf(':');
        if (!line.startsWith("#") && colon > 0) {
          settings.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String address = settings.getOrDefault("rest.address", "127.0.0.1");
    String restPort = settings.getOrDefault("rest.port", "8081");
    return URI.create("http://" + unquote(address) + ":" + unquote(restPort));
  }

  private static String unquote(String value) {
    return List.of("'", "\"").stream().anyMatch(value::startsWith)
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
