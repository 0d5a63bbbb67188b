package io.stateweave.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stateweave.sdk.processor.KVStore;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.ProcessorContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Function Stream seed's {@code MetricProcessor} in Java: JSON events in, the running total of
 * their {@code value}s (per record key: the store is partitioned by it) out, as JSON on channel 0.
 */
public final class MetricProcessor implements Processor {
  private final ObjectMapper json = new ObjectMapper();
  private String metricName;

  @Override
  public void init(ProcessorContext ctx, Map<String, String> config) {
    metricName = config.getOrDefault("metric_name", "default_event");
  }

  @Override
  public void process(ProcessorContext ctx, int sourceId, byte[] data) throws IOException {
    JsonNode event = json.readTree(data);
    KVStore store = ctx.getOrCreateKVStore("stats_db");
    byte[] key = ("count:" + metricName).getBytes(StandardCharsets.UTF_8);
    long total =
        store.get(key).map(v -> Long.parseLong(new String(v, StandardCharsets.UTF_8))).orElse(0L)
            + event.path("value").asLong(1);
    store.put(key, Long.toString(total).getBytes(StandardCharsets.UTF_8));
    ctx.emit(
        json.writeValueAsBytes(
            json.createObjectNode().put("metric", metricName).put("total", total)),
        0);
  }
}
