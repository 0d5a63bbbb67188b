package io.stateweave.flink.module;

import io.stateweave.flink.transaction.EpochOptions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code io.stateweave.entities.v1/java} and {@code io.stateweave.transactions.v1/kafka}. */
final class TransactionsParser {
  private TransactionsParser() {}

  static EntitiesSpec entities(Field spec) {
    spec.mapping("a mapping with 'providers'", List.of("providers"));
    List<String> providers = new ArrayList<>();
    for (Field provider : spec.get("providers").list("fully qualified class names")) {
      providers.add(provider.text("a fully qualified class name"));
    }
    return new EntitiesSpec(providers);
  }

  /**
   * Builds each provider's entity types once, with the classes the job will use, so that a wrong
   * class fails here rather than on a TaskManager; returns them by the index of their provider.
   */
  static List<Entities> instantiate(EntitiesSpec entities, Field spec) {
    List<Entities> result = new ArrayList<>();
    ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
    for (int i = 0; i < entities.providers().size(); i++) {
      try {
        result.add(EntitiesSpec.instantiate(classLoader, entities.providers().get(i)));
      } catch (RuntimeException e) {
        String problem = e.getMessage() == null ? e.toString() : e.getMessage();
        throw spec.get("providers").list("class names").get(i).error(problem);
      }
    }
    return result;
  }

  static TransactionsKafkaSpec kafka(Field spec) {
    spec.mapping(
        "a mapping",
        List.of(
            "id",
            "address",
            "requestTopic",
            "responseTopic",
            "consumerGroupId",
            "startupPosition",
            "transactionTimeout",
            "epoch",
            "answerRetention",
            "entityCache",
            "properties"));
    Field epoch = spec.get("epoch");
    if (epoch.isPresent()) {
      epoch.mapping("a mapping with 'maxSize' and/or 'maxDelay'", List.of("maxSize", "maxDelay"));
    }
    String requestTopic = topic(spec.get("requestTopic"));
    Field responseField = spec.get("responseTopic");
    String responseTopic = topic(responseField);
    if (responseTopic.equals(requestTopic)) {
      throw responseField.expected("a topic other than requestTopic");
    }
    TypeName id = spec.get("id").typeName("an ingress id");
    return new TransactionsKafkaSpec(
        id,
        spec.get("address").text("a Kafka bootstrap address (host:port,...)"),
        requestTopic,
        responseTopic,
        spec.get("consumerGroupId").text("a consumer group id"),
        KafkaParser.startupPosition(spec.get("startupPosition")),
        spec.get("transactionTimeout").duration(KafkaEgressSpec.DEFAULT_TRANSACTION_TIMEOUT),
        epoch.get("maxSize").positiveInt(TransactionsKafkaSpec.DEFAULT_EPOCH_MAX_SIZE),
        epoch.get("maxDelay").duration(TransactionsKafkaSpec.DEFAULT_EPOCH_MAX_DELAY),
        spec.get("answerRetention").duration(EpochOptions.DEFAULT_ANSWER_RETENTION),
        spec.get("entityCache").memorySize(EpochOptions.DEFAULT_ENTITY_CACHE),
        KafkaParser.properties(spec.get("properties")));
  }

  private static String topic(Field field) {
    String name = field.text("a topic name");
    if (name.contains("/")) {
      throw field.expected("a Kafka topic name (no '/')");
    }
    return name;
  }
}
