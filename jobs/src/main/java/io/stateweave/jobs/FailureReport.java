package io.stateweave.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What a local run prints when its job fails for good: the cause without Flink's wrappers, the
 * causes behind it, and what to do about it where the cause is one we know.
 */
final class FailureReport {
  private static final int MAX_CAUSES = 5;
  private static final String RECOVERY_SUPPRESSED = "Recovery is suppressed by ";

  /** Hints by the cause's class name prefix; the first that matches a cause in the chain wins. */
  private static final Map<String, String> HINTS =
      Map.of(
          "io.stateweave.flink.remote.RemoteFunctionException",
          "the function server must be up at that URL and serve that function type. The call's"
              + " attempts are stateweave.remote.max-retries + 1; with"
              + " stateweave.remote.on-failure=dead-letter a call that gives up goes to the"
              + " dead-letter egress (stateweave.dead-letter-egress) instead of failing the job.",
          "io.stateweave.flink.dispatcher.UnknownFunctionException",
          "a message went to a function type that nothing in the module serves: bind it in an"
              + " io.stateweave.functions.v1/java or io.statefun.endpoints.v2/http document.",
          "io.stateweave.flink.dispatcher.FunctionInvocationException",
          "an embedded function threw while handling the message named above: its exception is"
              + " the cause.",
          "org.apache.kafka.",
          "a Kafka client failed: check the broker address of the module's Kafka ingress or"
              + " egress, and that its topics exist (tools/kafka/kafka.sh).");

  private FailureReport() {}

  /** The report of the job's {@code failure}. */
  static String of(Throwable failure) {
    List<Throwable> causes = causes(failure);
    StringBuilder report =
        new StringBuilder("stateweave: the job failed: ").append(describe(causes.get(0)));
    for (Throwable cause : causes.subList(1, Math.min(causes.size(), MAX_CAUSES))) {
      report.append("\n  caused by ").append(describe(cause));
    }
    String hint = hint(causes);
    if (hint != null) {
      report.append("\n  hint: ").append(hint);
    }
    String gaveUp = gaveUp(failure);
    if (gaveUp != null) {
      report.append("\n  Flink did not restart it again: ").append(gaveUp);
    }
    return report.toString();
  }

  /** The chain from the first cause that is not one of Flink's or the JDK's wrappers. */
  private static List<Throwable> causes(Throwable failure) {
    Throwable first = failure;
    while (first.getCause() != null && isWrapper(first)) {
      first = first.getCause();
    }
    List<Throwable> causes = new ArrayList<>();
    for (Throwable cause = first;
        cause != null && !causes.contains(cause);
        cause = cause.getCause()) {
      causes.add(cause);
    }
    return causes;
  }

  /** Flink's reason to stop restarting, e.g. the restart strategy's limit, if it gave one. */
  private static String gaveUp(Throwable failure) {
    for (Throwable error = failure; error != null; error = error.getCause()) {
      String message = error.getMessage();
      if (message != null && message.startsWith(RECOVERY_SUPPRESSED)) {
        return message.substring(RECOVERY_SUPPRESSED.length());
      }
    }
    return null;
  }

  private static boolean isWrapper(Throwable error) {
    return error instanceof ExecutionException
        || error instanceof CompletionException
        // JobExecutionException, and JobException("Recovery is suppressed by ...")
        || error.getClass().getName().startsWith("org.apache.flink.runtime.");
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    String type = cause.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  private static String hint(List<Throwable> causes) {
    for (Throwable cause : causes) {
      String name = cause.getClass().getName();
      for (Map.Entry<String, String> hint : HINTS.entrySet()) {
        if (name.startsWith(hint.getKey())) {
          return hint.getValue();
        }
      }
    }
    return null;
  }
}
