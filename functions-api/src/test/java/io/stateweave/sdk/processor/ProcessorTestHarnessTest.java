package io.stateweave.sdk.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorTestHarnessTest {

  /** Counts records per key in a store, and in a field it checkpoints, emitting both. */
  static final class Counting implements Processor {
    long seenByInstance;
    final List<String> watermarks = new ArrayList<>();
    String prefix;

    @Override
    public void init(ProcessorContext ctx, Map<String, String> config) {
      prefix = config.getOrDefault("prefix", "");
      for (byte[] state : ctx.restoredState()) {
        seenByInstance += Long.parseLong(new String(state, StandardCharsets.UTF_8));
      }
    }

    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) {
      KVStore store = ctx.getOrCreateKVStore("counts");
      byte[] key = "count".getBytes(StandardCharsets.UTF_8);
      long count =
          store.get(key).map(v -> Long.parseLong(new String(v, StandardCharsets.UTF_8))).orElse(0L)
              + 1;
      store.put(key, Long.toString(count).getBytes(StandardCharsets.UTF_8));
      seenByInstance++;
      ctx.emit((prefix + count + "/" + seenByInstance).getBytes(StandardCharsets.UTF_8), sourceId);
    }

    @Override
    public void processWatermark(ProcessorContext ctx, int sourceId, long watermark) {
      watermarks.add(sourceId + "@" + watermark);
    }

    @Override
    public byte[] takeCheckpoint(ProcessorContext ctx, long checkpointId) {
      return Long.toString(seenByInstance).getBytes(StandardCharsets.UTF_8);
    }
  }

  @Test
  void storesArePartitionedByRecordKeyAndEmitsCarryTheKey() {
    ProcessorTestHarness harness =
        ProcessorTestHarness.forProcessor(Counting::new, Map.of("prefix", "n="), 2);

    harness.process(0, "a", "x");
    harness.process(0, "b", "x");
    harness.process(1, "a", "x");

    assertThat(harness.emittedText(0)).containsExactly("n=1/1", "n=1/2");
    assertThat(harness.emittedText(1)).containsExactly("n=2/3");
    assertThat(harness.emitted(1)).extracting(ProcessorTestHarness.Emitted::keyText)
        .containsExactly("a");
    assertThat(harness.store("a", "counts").get("count".getBytes(StandardCharsets.UTF_8)))
        .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("2"));
  }

  @Test
  void aRestoreGoesBackToTheCheckpointAndHandsBackItsState() {
    ProcessorTestHarness harness = ProcessorTestHarness.forProcessor(Counting::new, Map.of(), 2);
    harness.process(0, "a", "x");
    harness.process(0, "a", "x");
    harness.checkpoint();
    harness.process(0, "a", "x");

    harness.failAndRestore();
    harness.process(0, "a", "x");

    assertThat(harness.emittedText(0)).containsExactly("1/1", "2/2", "3/3");
  }

  @Test
  void watermarksArePassedOnInIncreasingOrderOnly() {
    ProcessorTestHarness harness = ProcessorTestHarness.forProcessor(Counting::new, Map.of(), 2);
    harness.watermark(5);
    harness.watermark(3);
    harness.watermark(5);
    harness.watermark(9);

    assertThat(((Counting) harness.processor()).watermarks).containsExactly("-1@5", "-1@9");
  }

  @Test
  void storesAreRefusedOutsideProcessAndUnknownChannelsAlways() {
    ProcessorTestHarness harness =
        ProcessorTestHarness.forProcessor(
            () ->
                new Processor() {
                  @Override
                  public void process(ProcessorContext ctx, int sourceId, byte[] data) {
                    ctx.emit(data, 3);
                  }

                  @Override
                  public void processWatermark(ProcessorContext ctx, int sourceId, long wm) {
                    ctx.getOrCreateKVStore("s").get(new byte[0]);
                  }
                },
            Map.of(),
            1);

    assertThatThrownBy(() -> harness.process(0, "a", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channel 3 does not exist: the task has 1 outputs");
    assertThatThrownBy(() -> harness.watermark(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "KV store 's' is available in process() only: stores are partitioned by record key");
  }
}
