package io.stateweave.flink.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.memory.MemoryManager;
import org.apache.flink.runtime.memory.MemoryManagerBuilder;
import org.apache.flink.runtime.memory.OpaqueMemoryResource;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a dispatcher and its tail meet: in their slot, by job and subtask, while either is open. */
@Timeout(60)
final class FeedbackChannelsTest {

  @Test
  void theChannelLivesWhileTheDispatcherOrTheTailIsOpenAndIsNewAfterBothClosed()
      throws Exception {
    MemoryManager slot = MemoryManagerBuilder.newBuilder().build();
    try {
      JobID job = new JobID();
      MockEnvironment task = task(slot, job, 0);
      LoopSubtask pair = LoopSubtask.open(job, 1, 0, null, slot);
      FeedbackChannel channel = pair.channel();
      assertThat(lookAt(task)).isSameAs(channel);
      pair.tail.close();
      assertThat(lookAt(task)).isSameAs(channel);
      // Flink closes an operator also when its task fails or is cancelled
      pair.dispatcher.close();
      assertThat(lookAt(task)).isNotSameAs(channel);
    } finally {
      slot.shutdown();
    }
  }

  @Test
  void twoJobsInOneSlotDoNotShareAChannel() throws Exception {
    MemoryManager slot = MemoryManagerBuilder.newBuilder().build();
    try (LoopSubtask first = LoopSubtask.open(new JobID(), 1, 0, null, slot);
        LoopSubtask second = LoopSubtask.open(new JobID(), 1, 0, null, slot)) {
      assertThat(first.channel()).isNotSameAs(second.channel());
      first.toTail("a", "first");
      first.runMails();
      second.runMails();
      assertThat(first.egress()).containsExactly("a first n=1");
      assertThat(second.egress()).isEmpty();
    } finally {
      slot.shutdown();
    }
  }

  private static MockEnvironment task(MemoryManager slot, JobID job, int index) {
    return new MockEnvironmentBuilder()
        .setJobID(job)
        .setSubtaskIndex(index)
        .setMemoryManager(slot)
        .build();
  }

  private static FeedbackChannel lookAt(MockEnvironment task) throws Exception {
    try (OpaqueMemoryResource<FeedbackChannel> lease = FeedbackChannels.acquire(task)) {
      return lease.getResourceHandle();
    }
  }
}
