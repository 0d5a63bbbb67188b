package io.stateweave.flink.processor;

import io.stateweave.sdk.processor.ComplexKey;
import io.stateweave.sdk.processor.KVStore;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.ProcessorContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs store commands given as text, {@code ~} standing for an empty part, and emits what the reads
 * return: {@code put kg key ns uk value}, {@code del kg key ns uk}, {@code scan kg key ns prefix},
 * {@code delprefix kg key ns prefix}, {@code pput key value}, {@code pscan prefix}, {@code get key}.
 */
public class StoreCommands implements Processor {
  @Override
  public void process(ProcessorContext ctx, int sourceId, byte[] data) throws Exception {
    String[] words = new String(data, StandardCharsets.UTF_8).split(" ");
    for (int i = 0; i < words.length; i++) {
      words[i] = words[i].equals("~") ? "" : words[i];
    }
    KVStore store = ctx.getOrCreateKVStore("commands");
    switch (words[0]) {
      case "put" -> store.put(key(words), utf8(words[5]));
      case "del" -> store.delete(key(words));
      case "delprefix" -> emit(ctx, "deleted " + store.deletePrefix(key(words)));
      case "scan" -> {
        List<KVStore.Entry<ComplexKey>> entries = store.scan(key(words));
        emit(
            ctx,
            "scan "
                + String.join("/", words[1], words[2], words[3], words[4])
                + ": "
                + entries.stream()
                    .map(e -> e.key().userKeyText() + "=" + text(e.value()))
                    .collect(Collectors.joining(" ")));
      }
      case "pput" -> store.put(utf8(words[1]), utf8(words[2]));
      case "pscan" ->
          emit(
              ctx,
              "pscan "
                  + words[1]
                  + ": "
                  + store.scan(utf8(words[1])).stream()
                      .map(e -> text(e.key()) + "=" + text(e.value()))
                      .collect(Collectors.joining(" ")));
      case "get" ->
          emit(
              ctx,
              "get "
                  + words[1]
                  + ": "
                  + store.get(utf8(words[1])).map(v -> v.length == 0 ? "empty" : text(v)).orElse("absent"));
      default -> throw new IllegalArgumentException("unknown command " + words[0]);
    }
  }

  private static ComplexKey key(String[] words) {
    return ComplexKey.of(words[1], words[2], words[3], words[4]);
  }

  private static void emit(ProcessorContext ctx, String text) {
    ctx.emit(utf8(text), 0);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
