package io.stateweave.flink.dispatcher;

import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs module files on the test's MiniCluster, as a user's job is built from its module.yaml. */
public final class ModuleJobs {
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  private ModuleJobs() {}

  public static JobClient start(String moduleYaml, Configuration conf, int parallelism)
      throws Exception {
    return start(Map.of("test module", moduleYaml), conf, parallelism);
  }

  /** Runs the module of several files, by name, as a job given several --module options. */
  public static JobClient start(
      Map<String, String> moduleFiles, Configuration conf, int parallelism) throws Exception {
    StreamExecutionEnvironment env = Jobs.environment(conf);
    env.setParallelism(parallelism);
    // frequent checkpoints: the collecting egress shows records only once they are committed
    env.enableCheckpointing(100);
    ModuleTranslator.translate(env, ModuleLoader.parse(moduleFiles));
    return env.executeAsync("test module");
  }

  /** The committed string records of an egress. */
  public static List<String> texts(TypeName egress) {
    return CollectedEgress.records(egress).stream()
        .map(value -> Types.STRING.deserialize(value.bytes()))
        .toList();
  }

  /** Waits until the egress's committed records satisfy the condition; returns them. */
  public static List<String> awaitTexts(
      TypeName egress, String what, Predicate<List<String>> condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    List<String> texts = texts(egress);
    while (!condition.test(texts)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + PATIENCE + " waiting for " + what + "; got " + texts);
      }
      Thread.sleep(50);
      texts = texts(egress);
    }
    return texts;
  }

  /** Waits for a job that must fail; returns its failure. */
  public static Throwable failure(JobClient job) throws Exception {
    try {
      job.getJobExecutionResult().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e;
    }
    throw new AssertionError("the job finished without failing");
  }

  /** The messages of a failure's cause chain, outermost first. */
  public static List<String> messages(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null && messages.size() < 50; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return messages;
  }
}
