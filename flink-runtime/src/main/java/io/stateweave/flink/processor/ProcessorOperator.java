package io.stateweave.flink.processor;

import io.stateweave.sdk.processor.KVStore;
import io.stateweave.sdk.processor.KVStores;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.ProcessorContext;
import io.stateweave.sdk.processor.TaskConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Runs one processor instance per subtask over the task's inputs, keyed by record key. An operator
 * rather than a {@code KeyedProcessFunction}: the processor hears every watermark advance (a
 * process function only hears timers it set per key) and takes its checkpoint before the barrier
 * leaves, so what it emits then belongs to that checkpoint.
 */
final class ProcessorOperator extends AbstractStreamOperator<ProcessorRecord>
    implements OneInputStreamOperator<ProcessorRecord, ProcessorRecord> {
  private static final long serialVersionUID = 1L;

  private final TaskConfig task;

  private transient Processor processor;
  private transient Context context;
  private transient List<OutputTag<ProcessorRecord>> outputs;
  private transient Map<String, KVStore> stores;
  private transient ListState<byte[]> checkpointedState;
  private transient List<byte[]> restoredState;
  private transient byte[] stateOfCheckpoint;

  ProcessorOperator(StreamOperatorParameters<ProcessorRecord> parameters, TaskConfig task) {
    super(parameters);
    this.task = task;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    checkpointedState =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(
                    "processor-checkpoint-state", BytePrimitiveArraySerializer.INSTANCE));
    restoredState = new ArrayList<>();
    if (context.isRestored()) {
      for (byte[] state : checkpointedState.get()) {
        restoredState.add(state);
      }
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    outputs = new ArrayList<>();
    for (int channel = 0; channel < task.outputs().size(); channel++) {
      outputs.add(Processors.outputTag(task, channel));
    }
    stores = new HashMap<>();
    context = new Context();
    processor = Processors.instantiate(task, getRuntimeContext().getUserCodeClassLoader());
    processor.init(context, task.initConfig());
    long interval = task.heartbeatInterval().toMillis();
    getProcessingTimeService().scheduleWithFixedDelay(time -> checkHeartbeat(), interval, interval);
  }

  private void checkHeartbeat() {
    if (!processor.checkHeartbeat(context)) {
      String reason =
          "processor task '"
              + task.name()
              + "' ("
              + task.processorClass()
              + "), subtask "
              + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()
              + ": checkHeartbeat returned false; the task fails and restarts from its last"
              + " checkpoint";
      LOG.error(reason);
      throw new ProcessorHeartbeatException(reason);
    }
  }

  @Override
  public void processElement(StreamRecord<ProcessorRecord> element) throws Exception {
    context.element = element;
    try {
      ProcessorRecord record = element.getValue();
      processor.process(context, record.channel(), record.value());
    } finally {
      context.element = null;
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    // before passing it on, so that what the processor emits for it precedes it downstream
    if (mark.getTimestamp() > context.watermark) {
      context.watermark = mark.getTimestamp();
      processor.processWatermark(context, Processor.ALL_INPUTS, mark.getTimestamp());
    }
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    // before the barrier leaves: what the processor emits here belongs to this checkpoint
    stateOfCheckpoint = processor.takeCheckpoint(context, checkpointId);
  }

  @Override
  public void snapshotState(StateSnapshotContext snapshot) throws Exception {
    super.snapshotState(snapshot);
    checkpointedState.update(stateOfCheckpoint == null ? List.of() : List.of(stateOfCheckpoint));
  }

  private KVStore store(String name) {
    MapState<String, byte[]> state =
        getKeyedStateStore()
            .getMapState(
                new MapStateDescriptor<>(
                    "processor-store." + name,
                    StringSerializer.INSTANCE,
                    BytePrimitiveArraySerializer.INSTANCE));
    KVStore partition = KVStores.over(new MapStateStore(state));
    return KVStores.availableWhile(name, () -> context.element != null, () -> partition);
  }

  /** One map state per store; the backend scopes it to the current record key. */
  private static final class MapStateStore implements KVStores.RawStore {
    private final MapState<String, byte[]> state;

    MapStateStore(MapState<String, byte[]> state) {
      this.state = state;
    }

    @Override
    public byte[] get(String key) {
      try {
        return state.get(key);
      } catch (Exception e) {
        throw new IllegalStateException("reading a KV store failed", e);
      }
    }

    @Override
    public void put(String key, byte[] value) {
      try {
        state.put(key, value);
      } catch (Exception e) {
        throw new IllegalStateException("writing a KV store failed", e);
      }
    }

    @Override
    public void remove(String key) {
      try {
        state.remove(key);
      } catch (Exception e) {
        throw new IllegalStateException("writing a KV store failed", e);
      }
    }

    @Override
    public Iterable<Map.Entry<String, byte[]>> entries() {
      try {
        Iterable<Map.Entry<String, byte[]>> entries = state.entries();
        return entries == null ? List.of() : entries;
      } catch (Exception e) {
        throw new IllegalStateException("scanning a KV store failed", e);
      }
    }
  }

  private final class Context implements ProcessorContext {
    StreamRecord<ProcessorRecord> element;
    long watermark = Long.MIN_VALUE;

    @Override
    public void emit(byte[] data, int channel) {
      if (channel < 0 || channel >= outputs.size()) {
        throw new IllegalArgumentException(
            "processor task '"
                + task.name()
                + "' emitted to channel "
                + channel
                + ", which does not exist: the task has "
                + outputs.size()
                + " outputs");
      }
      ProcessorRecord record =
          new ProcessorRecord(
              channel, element == null ? ProcessorRecord.NONE : element.getValue().key(), data.clone());
      StreamRecord<ProcessorRecord> out =
          element != null && element.hasTimestamp()
              ? new StreamRecord<>(record, element.getTimestamp())
              : new StreamRecord<>(record);
      output.collect(outputs.get(channel), out);
    }

    @Override
    public KVStore getOrCreateKVStore(String name) {
      KVStore store = stores.get(name);
      if (store == null) {
        store = store(name);
        stores.put(name, store);
      }
      return store;
    }

    @Override
    public byte[] currentKey() {
      return element == null ? ProcessorRecord.NONE : element.getValue().key().clone();
    }

    @Override
    public long currentWatermark() {
      return watermark;
    }

    @Override
    public List<byte[]> restoredState() {
      return restoredState.stream().map(byte[]::clone).toList();
    }
  }
}
