package io.stateweave.jobs;

/**
 * The job jar's {@code Main-Class}. The jar leaves Flink out (the cluster has it), so {@code java
 * -jar} alone would end in a {@code NoClassDefFoundError}; this class touches no Flink type and
 * says how to run the jar instead.
 */
public final class Launcher {
  static final String FLINK_CLASS = "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment";

  private Launcher() {}

  public static void main(String[] args) {
    if (!flinkPresent()) {
      System.err.println(
          """
          stateweave: Flink is not on the classpath: this jar runs on a Flink cluster.
            submit it:     flink run [-p <parallelism>] <this jar> [--module <module.yaml>] [options]
            or run it locally, from the source tree:
                           mvn -B -q -DskipTests install && mvn -B -q -pl jobs exec:exec \\
                             -Dstateweave.args="--module <module.yaml>"
            options:       --help""");
      System.exit(2);
    }
    StateweaveJob.main(args);
  }

  private static boolean flinkPresent() {
    try {
      Class.forName(FLINK_CLASS, false, Launcher.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
