package io.stateweave.flink.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CollectingSinkPartsTest {
  private static final TypeName EGRESS = TypeName.parse("test/unit");

  @AfterEach
  void clear() {
    CollectedEgress.clear();
  }

  @Test
  void roundTripsIdAndRecords() throws IOException {
    CollectedBatch batch =
        new CollectedBatch(
            UUID.randomUUID(),
            List.of(
                TypedValue.of("x"),
                TypedValue.of(3),
                TypedValue.ofBytes(TypeName.parse("com.example/raw"), new byte[] {1, 2, 3})));
    CollectedBatchSerializer serializer = CollectedBatchSerializer.INSTANCE;

    CollectedBatch copy =
        serializer.deserialize(serializer.getVersion(), serializer.serialize(batch));

    assertThat(copy).isEqualTo(batch);
  }

  @Test
  void rejectsAnUnknownVersion() {
    assertThatThrownBy(() -> CollectedBatchSerializer.INSTANCE.deserialize(99, new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("99");
  }

  @Test
  void aBatchIsPublishedAtMostOnce() {
    CollectedBatch batch =
        new CollectedBatch(UUID.randomUUID(), List.of(TypedValue.of(1), TypedValue.of(2)));
    CollectedBatch next = new CollectedBatch(UUID.randomUUID(), List.of(TypedValue.of(3)));

    assertThat(CollectedEgress.publish(EGRESS, batch)).isTrue();
    assertThat(CollectedEgress.publish(EGRESS, batch)).isFalse();
    assertThat(CollectedEgress.publish(EGRESS, next)).isTrue();

    assertThat(CollectedEgress.records(EGRESS))
        .containsExactly(TypedValue.of(1), TypedValue.of(2), TypedValue.of(3));
    assertThat(CollectedEgress.size(EGRESS)).isEqualTo(3);
    assertThat(CollectedEgress.records(TypeName.parse("test/none"))).isEmpty();
  }

  @Test
  void theWriterHandsOverWhatItGotSinceTheLastCheckpoint() {
    CollectingWriter writer = new CollectingWriter();

    writer.write(TypedValue.of(1), null);
    writer.write(TypedValue.of(2), null);
    List<CollectedBatch> first = List.copyOf(writer.prepareCommit());
    List<CollectedBatch> empty = List.copyOf(writer.prepareCommit());
    writer.write(TypedValue.of(3), null);
    List<CollectedBatch> second = List.copyOf(writer.prepareCommit());

    assertThat(first)
        .singleElement()
        .satisfies(
            batch ->
                assertThat(batch.records()).containsExactly(TypedValue.of(1), TypedValue.of(2)));
    assertThat(empty).isEmpty();
    assertThat(second)
        .singleElement()
        .satisfies(batch -> assertThat(batch.records()).containsExactly(TypedValue.of(3)));
    assertThat(first.get(0).id()).isNotEqualTo(second.get(0).id());
  }
}
