package io.stateweave.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The main class for submissions whose {@code main} runs inside the JobManager: Flink's REST API
 * ({@code /jars/:id/run}, used by the Stateweave manager) and the web UI. It never calls {@code
 * System.exit}, which would end the JobManager itself; a mistake in the module or the arguments is
 * thrown instead, with the message {@link StateweaveJob} would print, so that Flink answers the
 * submission with it.
 */
public final class JobManagerEntry {
  private JobManagerEntry() {}

  public static void main(String[] args) {
    StringWriter err = new StringWriter();
    int exitCode = StateweaveJob.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    if (exitCode != 0) {
      throw new IllegalArgumentException(err.toString().strip());
    }
  }
}
