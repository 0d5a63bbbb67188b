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
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.AbstractHeapState;
import org.apache.flink.runtime.state.heap.StateTable;
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
    context.record++;
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

  private KVStore store(String name) throws Exception {
    MapStateDescriptor<String, byte[]> descriptor =
        new MapStateDescriptor<>(
            "processor-store." + name,
            StringSerializer.INSTANCE,
            BytePrimitiveArraySerializer.INSTANCE);
    Object state =
        getKeyedStateBackend()
            .getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    KVStores.RawStore raw =
        state instanceof AbstractHeapState<?, ?, ?> heap
            ? new HeapStore(heap.getStateTable())
            : new MapStateStore(getKeyedStateStore().getMapState(descriptor));
    return KVStores.over(name, () -> context.element != null, raw);
  }

  /**
   * On the heap backend, the map under the current record key itself, looked up once per record:
   * the map state looks it up again for every get and put. The same steps as the heap map state
   * takes; holding the map within a record is safe because snapshots start between records, and
   * the state table's lookup has made the map this version's own.
   */
  private final class HeapStore implements KVStores.RawStore {
    private final StateTable<Object, VoidNamespace, Map<String, byte[]>> table;
    // the record whose key's map `map` is (null when there is none yet)
    private long mapOfRecord = -1;
    private Map<String, byte[]> map;

    @SuppressWarnings("unchecked")
    HeapStore(StateTable<?, ?, ?> table) {
      this.table = (StateTable<Object, VoidNamespace, Map<String, byte[]>>) table;
    }

    private Map<String, byte[]> map() {
      if (mapOfRecord != context.record) {
        map = table.get(VoidNamespace.INSTANCE);
        mapOfRecord = context.record;
      }
      return map;
    }

    @Override
    public byte[] get(String key) {
      Map<String, byte[]> entries = map();
      return entries == null ? null : entries.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
      Map<String, byte[]> entries = map();
      if (entries == null) {
        entries = new HashMap<>();
        table.put(VoidNamespace.INSTANCE, entries);
        map = entries;
      }
      entries.put(key, value);
    }

    @Override
    public void remove(String key) {
      Map<String, byte[]> entries = map();
      if (entries == null) {
        return;
      }
      entries.remove(key);
      if (entries.isEmpty()) {
        table.remove(VoidNamespace.INSTANCE);
        map = null;
      }
    }

    @Override
    public Iterable<Map.Entry<String, byte[]>> entries() {
      Map<String, byte[]> entries = map();
      return entries == null ? List.of() : entries.entrySet();
    }
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
    // counts the records processed: a store's cached handles belong to one record's key
    long record;
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
        try {
          store = store(name);
        } catch (Exception e) {
          throw new IllegalStateException(
              "processor task '" + task.name() + "': creating KV store '" + name + "' failed", e);
        }
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
