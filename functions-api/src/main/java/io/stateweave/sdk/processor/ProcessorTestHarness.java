package io.stateweave.sdk.processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a processor in memory, without Flink, with the runtime's semantics for stores, outputs,
 * watermarks, checkpoints and restores:
 *
 * <pre>{@code
 * ProcessorTestHarness harness =
 *     ProcessorTestHarness.forProcessor(MetricProcessor::new, Map.of("metric_name", "clicks"), 1);
 * harness.process(0, "user1", "{\"value\": 2}");
 * assertThat(harness.emittedText(0)).containsExactly("{\"metric\":\"clicks\",\"total\":2}");
 * }</pre>
 *
 * <p>{@link #failAndRestore()} does what a failure does on Flink: a new instance starts from the
 * last {@link #checkpoint()}, with the stores as they were then, what {@code takeCheckpoint}
 * returned handed back, and what was emitted after it withdrawn (an exactly-once output never
 * shows it). Not thread-safe.
 */
public final class ProcessorTestHarness {
  private final Supplier<? extends Processor> factory;
  private final Map<String, String> config;
  private final int outputs;

  /** By store name, then partition (record key as ISO-8859-1 text). */
  private Map<String, Map<String, Map<String, byte[]>>> stores = new HashMap<>();

  private final List<List<Emitted>> emitted = new ArrayList<>();
  private Processor processor;
  private final Context context = new Context();
  private long nextCheckpointId = 1;

  private Map<String, Map<String, Map<String, byte[]>>> checkpointStores = new HashMap<>();
  private List<byte[]> checkpointState = List.of();
  private int[] checkpointEmitted;

  private ProcessorTestHarness(
      Supplier<? extends Processor> factory, Map<String, String> config, int outputs) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.config = Map.copyOf(config);
    this.outputs = outputs;
    for (int i = 0; i < outputs; i++) {
      emitted.add(new ArrayList<>());
    }
    checkpointEmitted = new int[outputs];
    start(List.of());
  }

  /**
   * A harness for a processor with that init config and number of output channels; the factory
   * makes the first instance now and a new one on every {@link #failAndRestore()}.
   */
  public static ProcessorTestHarness forProcessor(
      Supplier<? extends Processor> factory, Map<String, String> initConfig, int outputs) {
    return new ProcessorTestHarness(factory, initConfig, outputs);
  }

  /**
   * A record from input {@code sourceId} with that Kafka key (null: none) and value. An exception
   * of the processor comes out as it is when unchecked, wrapped when checked.
   */
  public void process(int sourceId, byte[] key, byte[] data) {
    context.key = key == null ? new byte[0] : key.clone();
    context.inProcess = true;
    try {
      processor.process(context, sourceId, Objects.requireNonNull(data, "data").clone());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the processor failed: " + e, e);
    } finally {
      context.inProcess = false;
      context.key = new byte[0];
    }
  }

  /** A record with key and value as UTF-8. */
  public void process(int sourceId, String key, String data) {
    process(sourceId, key == null ? null : utf8(key), utf8(data));
  }

  /** Advances event time; a watermark not above the last one is not passed on, as on Flink. */
  public void watermark(long watermark) {
    if (watermark > context.watermark) {
      context.watermark = watermark;
      processor.processWatermark(context, Processor.ALL_INPUTS, watermark);
    }
  }

  /** Takes a checkpoint; returns its id. */
  public long checkpoint() {
    long id = nextCheckpointId++;
    byte[] state = processor.takeCheckpoint(context, id);
    checkpointState = state == null ? List.of() : List.of(state.clone());
    checkpointStores = deepCopy(stores);
    for (int i = 0; i < outputs; i++) {
      checkpointEmitted[i] = emitted.get(i).size();
    }
    return id;
  }

  /** Fails and restarts a new instance from the last checkpoint (or from nothing). */
  public void failAndRestore() {
    stores = deepCopy(checkpointStores);
    for (int i = 0; i < outputs; i++) {
      List<Emitted> channel = emitted.get(i);
      channel.subList(checkpointEmitted[i], channel.size()).clear();
    }
    start(checkpointState);
  }

  /** Calls {@code checkHeartbeat}. */
  public boolean heartbeat() {
    return processor.checkHeartbeat(context);
  }

  /** What was emitted to {@code channel} and not withdrawn by a restore, in order. */
  public List<Emitted> emitted(int channel) {
    return List.copyOf(emitted.get(channel));
  }

  /** The values emitted to {@code channel}, as UTF-8. */
  public List<String> emittedText(int channel) {
    return emitted.get(channel).stream().map(Emitted::valueText).toList();
  }

  /** A store's partition of the records with that key (null: none), to look into. */
  public KVStore store(byte[] recordKey, String name) {
    String partition = latin1(recordKey == null ? new byte[0] : recordKey);
    return KVStores.over(name, () -> true, raw(name, () -> partition));
  }

  /** A store's partition of the records with that UTF-8 key. */
  public KVStore store(String recordKey, String name) {
    return store(recordKey == null ? null : utf8(recordKey), name);
  }

  /** The current instance. */
  public Processor processor() {
    return processor;
  }

  /** An emitted record: the key of the record processed when it was emitted (empty: none). */
  public record Emitted(byte[] key, byte[] value) {
    public String keyText() {
      return new String(key, StandardCharsets.UTF_8);
    }

    public String valueText() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  private void start(List<byte[]> restored) {
    context.restored = restored;
    context.watermark = Long.MIN_VALUE;
    processor = Objects.requireNonNull(factory.get(), "the factory made no processor");
    processor.init(context, config);
  }

  /** The store's partition that {@code partition} names at each call, in the current stores. */
  private KVStores.RawStore raw(String name, Supplier<String> partition) {
    return new KVStores.RawStore() {
      private Map<String, byte[]> map() {
        return stores
            .computeIfAbsent(name, n -> new HashMap<>())
            .computeIfAbsent(partition.get(), p -> new HashMap<>());
      }

      @Override
      public byte[] get(String key) {
        return map().get(key);
      }

      @Override
      public void put(String key, byte[] value) {
        map().put(key, value);
      }

      @Override
      public void remove(String key) {
        map().remove(key);
      }

      @Override
      public Iterable<Map.Entry<String, byte[]>> entries() {
        return map().entrySet();
      }
    };
  }

  private static Map<String, Map<String, Map<String, byte[]>>> deepCopy(
      Map<String, Map<String, Map<String, byte[]>>> stores) {
    Map<String, Map<String, Map<String, byte[]>>> copy = new HashMap<>();
    stores.forEach(
        (name, partitions) -> {
          Map<String, Map<String, byte[]>> partitionsCopy = new HashMap<>();
          partitions.forEach((key, entries) -> partitionsCopy.put(key, new HashMap<>(entries)));
          copy.put(name, partitionsCopy);
        });
    return copy;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private final class Context implements ProcessorContext {
    byte[] key = new byte[0];
    boolean inProcess;
    long watermark = Long.MIN_VALUE;
    List<byte[]> restored = List.of();

    @Override
    public void emit(byte[] data, int channel) {
      if (channel < 0 || channel >= outputs) {
        throw new IllegalArgumentException(
            "channel " + channel + " does not exist: the task has " + outputs + " outputs");
      }
      emitted
          .get(channel)
          .add(new Emitted(inProcess ? key.clone() : new byte[0], Objects.requireNonNull(data, "data").clone()));
    }

    @Override
    public KVStore getOrCreateKVStore(String name) {
      Objects.requireNonNull(name, "name");
      return KVStores.over(name, () -> inProcess, raw(name, () -> latin1(key)));
    }

    @Override
    public byte[] currentKey() {
      return key.clone();
    }

    @Override
    public long currentWatermark() {
      return watermark;
    }

    @Override
    public List<byte[]> restoredState() {
      return restored.stream().map(byte[]::clone).toList();
    }
  }
}
