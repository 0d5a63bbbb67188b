package io.stateweave.flink.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.feedback.LoopSubtask.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Delayed messages across a restore of the dispatcher, in Flink's operator test harness: those due
 * within the memory horizon (1 s; on the heap until the checkpoint) and those due later (in keyed
 * state with a timer), pending or cancelled when the checkpoint was taken, and their gauge.
 */
@Timeout(60)
final class DelayedMessagesRestoreTest {
  private static final long START = 1_000_000;
  private static final String PENDING = "stateweave.function.test/delayer.delayedMessagesPending";

  @Test
  void delayedMessagesPendingAtTheCheckpointFireAfterTheRestoreWhenDue() throws Exception {
    Checkpoint checkpoint;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.dispatcher.setProcessingTime(START);
      subtask.toDispatcher(LoopFunctions.DELAYER, "a", "send soon 500 soon");
      subtask.toDispatcher(LoopFunctions.DELAYER, "a", "send late 60000 late");
      checkpoint = subtask.checkpoint(1);
      assertThat(subtask.egress()).isEmpty();
    }
    try (LoopSubtask restored = LoopSubtask.open(checkpoint)) {
      restored.dispatcher.setProcessingTime(START + 499);
      restored.runMails();
      assertThat(restored.egress()).isEmpty();
      restored.dispatcher.setProcessingTime(START + 500);
      restored.runMails();
      assertThat(restored.egress()).containsExactly("a soon n=1");
      restored.dispatcher.setProcessingTime(START + 59_999);
      restored.runMails();
      assertThat(restored.egress()).containsExactly("a soon n=1");
      restored.dispatcher.setProcessingTime(START + 60_000);
      restored.runMails();
      assertThat(restored.egress()).containsExactly("a soon n=1", "a late n=2");
    }
  }

  @Test
  void theGaugeOfPendingDelayedMessagesCountsThoseARestoreBringsBack() throws Exception {
    Checkpoint checkpoint;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.dispatcher.setProcessingTime(START);
      subtask.toDispatcher(LoopFunctions.DELAYER, "a", "send soon 500 soon");
      subtask.toDispatcher(LoopFunctions.DELAYER, "b", "send late 60000 late");
      subtask.toDispatcher(LoopFunctions.DELAYER, "b", "send cancelled 60000 late-cancelled");
      subtask.toDispatcher(LoopFunctions.DELAYER, "b", "cancel cancelled");
      assertThat(subtask.gauge(PENDING)).isEqualTo(2L);
      checkpoint = subtask.checkpoint(1);
    }
    try (LoopSubtask restored = LoopSubtask.open(checkpoint)) {
      assertThat(restored.gauge(PENDING)).isEqualTo(2L);
      restored.dispatcher.setProcessingTime(START + 500);
      restored.runMails();
      assertThat(restored.gauge(PENDING)).isEqualTo(1L);
      restored.dispatcher.setProcessingTime(START + 60_000);
      restored.runMails();
      assertThat(restored.gauge(PENDING)).isEqualTo(0L);
      assertThat(restored.egress()).containsExactly("a soon n=1", "b late n=1");
    }
  }

  @Test
  void delayedMessagesCancelledBeforeTheCheckpointStayCancelledAfterTheRestore()
      throws Exception {
    Checkpoint checkpoint;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.dispatcher.setProcessingTime(START);
      subtask.toDispatcher(LoopFunctions.DELAYER, "a", "send kept 500 soon");
      subtask.toDispatcher(LoopFunctions.DELAYER, "a", "send cancelled 500 soon-cancelled");
      subtask.toDispatcher(LoopFunctions.DELAYER, "b", "send kept 60000 late");
      subtask.toDispatcher(LoopFunctions.DELAYER, "b", "send cancelled 60000 late-cancelled");
      subtask.toDispatcher(LoopFunctions.DELAYER, "a", "cancel cancelled");
      subtask.toDispatcher(LoopFunctions.DELAYER, "b", "cancel cancelled");
      checkpoint = subtask.checkpoint(1);
    }
    try (LoopSubtask restored = LoopSubtask.open(checkpoint)) {
      restored.dispatcher.setProcessingTime(START + 120_000);
      restored.runMails();
      assertThat(restored.egress())
          .containsExactlyInAnyOrder("a soon n=1", "b late n=1");
    }
  }
}
