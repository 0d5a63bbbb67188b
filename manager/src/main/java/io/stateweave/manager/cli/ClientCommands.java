package io.stateweave.manager.cli;

import io.stateweave.manager.client.Definition;
import io.stateweave.manager.client.DefinitionRequest;
import io.stateweave.manager.client.Savepoint;
import io.stateweave.manager.client.Settings;
import io.stateweave.manager.client.StateweaveClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The client commands of {@code stateweave}, one class each, over {@link StateweaveClient}. */
final class ClientCommands {
  private ClientCommands() {}

  /** Where the manager is and the token to show it, shared by every client command. */
  static final class Connection {
    @Option(
        names = "--manager",
        defaultValue = "${env:STATEWEAVE_MANAGER:-http://127.0.0.1:8090}",
        description = "The manager's URL (default: $STATEWEAVE_MANAGER or ${DEFAULT-VALUE}).")
    URI manager;

    @Option(
        names = "--token",
        defaultValue = "${env:STATEWEAVE_TOKEN}",
        description = "The manager's bearer token (default: $STATEWEAVE_TOKEN).")
    String token;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    StateweaveClient client() {
      return StateweaveClient.connect(manager, token);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(name = "create", description = "Validates and registers a definition (not started).")
  static final class Create implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", description = "The definition's name.")
    String name;

    @Option(names = "--module", required = true, description = "The module.yaml file.")
    Path module;

    @Option(names = "--jar", description = "The job jar (default: the manager's --job-jar).")
    Path jar;

    @Option(
        names = {"-p", "--parallelism"},
        description = "The job's parallelism.")
    Integer parallelism;

    @Option(names = "-D", paramLabel = "key=value", description = "A Flink option for the job.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--savepoint-dir", description = "Where the job's savepoints go.")
    String savepointDirectory;

    @Option(names = "--entry-class", description = "The job jar's main class.")
    String entryClass;

    @Override
    public Integer call() {
      String yaml;
      try {
        yaml = Files.readString(module);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + module + ": " + e.getMessage(), e);
      }
      DefinitionRequest request =
          DefinitionRequest.module(name, yaml)
              .withSourceName(module.toString())
              .withJar(jar == null ? null : jar.toAbsolutePath().toString())
              .withSettings(new Settings(parallelism, config, savepointDirectory, entryClass));
      Definition created = connection.client().create(request);
      connection.out().println("created " + created.name());
      return 0;
    }
  }

  @Command(name = "start", description = "Starts a definition, from its latest savepoint if any.")
  static final class Start implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", description = "The definition's name.")
    String name;

    @Option(names = "--savepoint", description = "Start from this savepoint (see: savepoints).")
    String savepoint;

    @Override
    public Integer call() {
      StateweaveClient client = connection.client();
      Definition started = savepoint == null ? client.start(name) : client.start(name, savepoint);
      connection.out().println("started " + started.name() + " as job " + started.jobId());
      return 0;
    }
  }

  @Command(name = "stop", description = "Stops a running definition with a savepoint.")
  static final class Stop implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", description = "The definition's name.")
    String name;

    @Override
    public Integer call() {
      Savepoint savepoint = connection.client().stop(name);
      connection.out().println("stopped " + name + " with savepoint " + savepoint.path());
      return 0;
    }
  }

  @Command(name = "restart", description = "Stops with a savepoint and starts from it.")
  static final class Restart implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", description = "The definition's name.")
    String name;

    @Override
    public Integer call() {
      Definition restarted = connection.client().restart(name);
      connection.out().println("restarted " + name + " as job " + restarted.jobId());
      return 0;
    }
  }

  @Command(name = "show", description = "Lists definitions with their status from the cluster.")
  static final class Show implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", arity = "0..1", description = "A name or glob (* and ?).")
    String pattern;

    @Override
    public Integer call() {
      List<Definition> definitions = connection.client().show(pattern);
      PrintWriter out = connection.out();
      out.printf("%-24s %-9s %-32s %s%n", "NAME", "STATUS", "JOB", "LAST SAVEPOINT");
      for (Definition d : definitions) {
        out.printf(
            "%-24s %-9s %-32s %s%n",
            d.name(),
            d.status(),
            Optional.ofNullable(d.jobId()).orElse("-"),
            Optional.ofNullable(d.lastSavepoint()).orElse("-"));
        if (d.cause() != null) {
          out.println("  cause: " + d.cause());
        }
      }
      return 0;
    }
  }

  @Command(name = "drop", description = "Removes a definition, stopping it first when it runs.")
  static final class Drop implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", description = "The definition's name.")
    String name;

    @Override
    public Integer call() {
      Optional<Savepoint> savepoint = connection.client().drop(name);
      connection
          .out()
          .println(
              "dropped "
                  + name
                  + savepoint.map(s -> " (stopped with savepoint " + s.path() + ")").orElse(""));
      return 0;
    }
  }

  @Command(name = "savepoints", description = "Lists a definition's savepoints, newest first.")
  static final class Savepoints implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", description = "The definition's name.")
    String name;

    @Override
    public Integer call() {
      for (Savepoint savepoint : connection.client().savepoints(name)) {
        connection
            .out()
            .println(savepoint.takenAt() + "  " + savepoint.jobId() + "  " + savepoint.path());
      }
      return 0;
    }
  }
}
