package io.stateweave.flink.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.feedback.LoopSubtask.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop's snapshot in Flink's operator test harnesses: a dispatcher cuts the channel before its
 * barrier leaves, its tail logs what follows the cut when the barrier has reached it, and a restore
 * hands the logged messages to the dispatcher again. Each test takes the snapshots at one point of
 * the messages' way; the egress shows which messages took effect, and how often.
 */
@Timeout(60)
final class FeedbackLoopSnapshotTest {

  @Test
  void messagesTheDispatcherTakesAfterItsBarrierAreLoggedByTheTailAndProcessedAgainOnRestore()
      throws Exception {
    Checkpoint checkpoint;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.toTail("a", "before");
      subtask.runMails();
      subtask.toTail("a", "in-flight-1");
      subtask.toTail("b", "in-flight-2");
      var dispatcherState = subtask.snapshotDispatcher(1);
      // the dispatcher goes on while the barrier travels to the tail: it needs no marker
      subtask.runMails();
      checkpoint = new Checkpoint(dispatcherState, subtask.snapshotTail(1));
      assertThat(subtask.egress())
          .containsExactly("a before n=1", "a in-flight-1 n=2", "b in-flight-2 n=1");
    }
    try (LoopSubtask restored = LoopSubtask.open(checkpoint)) {
      restored.runMails();
      assertThat(restored.egress())
          .containsExactlyInAnyOrder("a in-flight-1 n=2", "b in-flight-2 n=1");
    }
  }

  @Test
  void messagesTheTailReceivesAfterItsSnapshotAreNotLoggedAndTheNextCheckpointDropsTheLog()
      throws Exception {
    Checkpoint first;
    Checkpoint second;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.toTail("a", "in-flight");
      first = subtask.checkpoint(1);
      subtask.toTail("a", "after");
      subtask.runMails();
      second = subtask.checkpoint(2);
      assertThat(subtask.egress()).containsExactly("a in-flight n=1", "a after n=2");
    }
    try (LoopSubtask restored = LoopSubtask.open(first)) {
      restored.runMails();
      // "after" is sent again by its sender, which resumes from the same checkpoint
      assertThat(restored.egress()).containsExactly("a in-flight n=1");
    }
    try (LoopSubtask restored = LoopSubtask.open(second)) {
      restored.runMails();
      restored.toTail("a", "next");
      restored.runMails();
      assertThat(restored.egress()).containsExactly("a next n=3");
    }
  }

  @Test
  void aLoggedMessageTheRestoredDispatcherHasNotTakenIsLoggedAgain() throws Exception {
    Checkpoint first;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.toTail("a", "in-flight");
      first = subtask.checkpoint(1);
    }
    Checkpoint second;
    try (LoopSubtask restored = LoopSubtask.open(first)) {
      // restored into the channel, not yet taken by the dispatcher
      second = restored.checkpoint(2);
    }
    try (LoopSubtask restoredAgain = LoopSubtask.open(second)) {
      restoredAgain.runMails();
      assertThat(restoredAgain.egress()).containsExactly("a in-flight n=1");
    }
  }

  @Test
  void overlappingCheckpointsEachLogWhatFollowsTheirOwnCut() throws Exception {
    var dispatcherStates = new ArrayList<>();
    Checkpoint first;
    Checkpoint second;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.toTail("a", "m1");
      var firstAtDispatcher = subtask.snapshotDispatcher(1);
      subtask.runMails();
      subtask.toTail("a", "m2");
      var secondAtDispatcher = subtask.snapshotDispatcher(2);
      subtask.runMails();
      subtask.toTail("a", "m3");
      subtask.runMails();
      // both barriers reach the tail after m3
      first = new Checkpoint(firstAtDispatcher, subtask.snapshotTail(1));
      second = new Checkpoint(secondAtDispatcher, subtask.snapshotTail(2));
      assertThat(subtask.channel().pendingCuts()).isZero();
    }
    try (LoopSubtask restored = LoopSubtask.open(first)) {
      restored.runMails();
      assertThat(restored.egress()).containsExactly("a m1 n=1", "a m2 n=2", "a m3 n=3");
    }
    try (LoopSubtask restored = LoopSubtask.open(second)) {
      restored.runMails();
      assertThat(restored.egress()).containsExactly("a m2 n=2", "a m3 n=3");
    }
  }

  @Test
  void aNewerCheckpointAtTheTailForgetsTheCutOfAnOlderOneItNeverSaw() throws Exception {
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.toTail("a", "m1");
      subtask.snapshotDispatcher(1);
      subtask.runMails();
      subtask.snapshotDispatcher(2);
      assertThat(subtask.channel().pendingCuts()).isEqualTo(2);
      // checkpoint 1 was declined elsewhere before its barrier reached the tail
      subtask.snapshotTail(2);
      assertThat(subtask.channel().pendingCuts()).isZero();
    }
  }

  @Test
  void anAbortedCheckpointLeavesNothingWaitingAndNoCutHoldingMessages() throws Exception {
    Checkpoint afterTheAbort;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.toTail("a", "m1");
      // returns at once, although the tail never takes part in checkpoint 1
      subtask.snapshotDispatcher(1);
      subtask.runMails();
      subtask.abortAtDispatcher(1);
      assertThat(subtask.channel().pendingCuts()).isZero();
      subtask.toTail("a", "m2");
      afterTheAbort = subtask.checkpoint(2);
      subtask.runMails();
    }
    try (LoopSubtask restored = LoopSubtask.open(afterTheAbort)) {
      restored.runMails();
      assertThat(restored.egress()).containsExactly("a m2 n=2");
    }
  }

  @Test
  void anAbortNoticeAtTheTailAloneAlsoForgetsTheCut() throws Exception {
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      subtask.toTail("a", "m1");
      subtask.snapshotDispatcher(1);
      subtask.runMails();
      subtask.abortAtTail(1);
      assertThat(subtask.channel().pendingCuts()).isZero();
    }
  }

  @Test
  void loggedMessagesGoToTheSubtaskThatOwnsTheirTargetWhenScaledFromOneToTwo()
      throws Exception {
    List<String> ids = LoopSubtask.idsOf(1, 0, 12);
    Checkpoint checkpoint;
    try (LoopSubtask subtask = LoopSubtask.open(null)) {
      for (String id : ids) {
        subtask.toTail(id, "in-flight");
      }
      checkpoint = subtask.checkpoint(1);
    }
    JobID job = new JobID();
    List<String> all = new ArrayList<>();
    for (int index = 0; index < 2; index++) {
      Checkpoint part = Checkpoint.rescaled(List.of(checkpoint), 2, index);
      try (LoopSubtask restored = LoopSubtask.open(job, 2, index, part)) {
        restored.runMails();
        List<String> expected = new ArrayList<>();
        for (String id : ids) {
          if (LoopSubtask.idsOf(2, index, 12).contains(id)) {
            expected.add(id + " in-flight n=1");
          }
        }
        assertThat(restored.egress()).isNotEmpty().containsExactlyInAnyOrderElementsOf(expected);
        all.addAll(restored.egress());
      }
    }
    assertThat(all).hasSize(ids.size());
  }

  @Test
  void loggedMessagesOfTwoSubtasksAllGoToTheOneWhenScaledFromTwoToOne() throws Exception {
    JobID job = new JobID();
    List<Checkpoint> parts = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int index = 0; index < 2; index++) {
      try (LoopSubtask subtask = LoopSubtask.open(job, 2, index, null)) {
        List<String> ids = LoopSubtask.idsOf(2, index, 5);
        for (String id : ids) {
          subtask.toTail(id, "before");
        }
        subtask.runMails();
        for (String id : ids) {
          subtask.toTail(id, "in-flight");
          expected.add(id + " in-flight n=2");
        }
        parts.add(subtask.checkpoint(1));
      }
    }
    try (LoopSubtask restored = LoopSubtask.open(Checkpoint.rescaled(parts, 1, 0))) {
      restored.runMails();
      assertThat(restored.egress()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }
}
