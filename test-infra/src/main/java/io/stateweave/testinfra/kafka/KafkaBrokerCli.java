package io.stateweave.testinfra.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** The command line of {@link KafkaBroker#main}: a broker for local use, as kafka.sh runs it. */
final class KafkaBrokerCli {

  static final String PID_FILE_NAME = "broker.pid";
  static final String BOOTSTRAP_FILE_NAME = "bootstrap.servers";
  private static final String USAGE =
      "usage: KafkaBroker --dir DIR [--port PORT] [--detach]\n"
          + "  --dir DIR    keeps configuration, data and "
          + KafkaBroker.LOG_FILE_NAME
          + " in DIR; data survives restarts\n"
          + "  --port PORT  client port on 127.0.0.1 (default 9092)\n"
          + "  --detach     leave the broker running, write its pid to DIR/"
          + PID_FILE_NAME
          + " and exit\n";

  private KafkaBrokerCli() {}

  /**
   * @return the exit code: 0 started (or stopped cleanly), 1 failed, 2 bad arguments
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Objects.requireNonNull(args, "args");
    Path dir = null;
    int port = 9092;
    boolean detach = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
          case "--port" -> port = port(value(args, ++i, "--port"));
          case "--detach" -> detach = true;
          case "-h", "--help" -> {
            out.print(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("--dir is required");
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    }

    KafkaBroker broker;
    try {
      broker = KafkaBroker.start(dir, port, true);
    } catch (RuntimeException e) {
      err.println(e.getMessage());
      return 1;
    }
    Path pidFile = dir.resolve(PID_FILE_NAME);
    try {
      Files.writeString(pidFile, broker.process().pid() + "\n", StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve(BOOTSTRAP_FILE_NAME),
          broker.bootstrapServers() + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("Cannot write " + pidFile + ": " + e.getMessage() + "; stopping the broker");
      broker.close();
      return 1;
    }
    out.println(broker.bootstrapServers());
    if (detach) {
      broker.detach();
      return 0;
    }
    // foreground: Ctrl-C runs the broker's stop-on-exit hook; else wait until the broker ends
    try {
      int code = broker.process().waitFor();
      err.println("Kafka broker exited with code " + code + "; log: " + broker.logFile());
      return code == 0 ? 0 : 1;
    } catch (InterruptedException e) {
      broker.close();
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--port must be in 1..65535, was " + text);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number, was " + text);
    }
  }
}
