package io.stateweave.flink.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through and fails the task once, a few records after a checkpoint completed: the
 * job then restores from that checkpoint and replays the records that already passed after it, so a
 * sink that is not exactly-once shows duplicates (or losses).
 */
public final class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {
  private static final long serialVersionUID = 1L;

  // Static: the function instances are recreated on restart, the flags must survive that.
  private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
  private static final AtomicBoolean FAILED = new AtomicBoolean();
  private static final AtomicInteger PASSED_AFTER_CHECKPOINT = new AtomicInteger();

  /** Records let through after the checkpoint before failing, on all subtasks together. */
  private static final int PASS_BEFORE_FAILING = 5;

  public static void reset() {
    CHECKPOINTED.set(false);
    FAILED.set(false);
    PASSED_AFTER_CHECKPOINT.set(0);
  }

  public static boolean failed() {
    return FAILED.get();
  }

  @Override
  public T map(T value) {
    if (CHECKPOINTED.get()
        && PASSED_AFTER_CHECKPOINT.incrementAndGet() > PASS_BEFORE_FAILING
        && FAILED.compareAndSet(false, true)) {
      throw new IllegalStateException("injected failure");
    }
    return value;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    CHECKPOINTED.set(true);
  }
}
