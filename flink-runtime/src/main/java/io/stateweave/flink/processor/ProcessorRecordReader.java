package io.stateweave.flink.processor;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads an input's Kafka records as they are, tagged with the input's source id. */
final class ProcessorRecordReader implements KafkaRecordDeserializationSchema<ProcessorRecord> {
  private static final long serialVersionUID = 1L;

  private final int sourceId;

  ProcessorRecordReader(int sourceId) {
    this.sourceId = sourceId;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ProcessorRecord> out) {
    out.collect(
        new ProcessorRecord(
            sourceId,
            record.key() == null ? ProcessorRecord.NONE : record.key(),
            record.value() == null ? ProcessorRecord.NONE : record.value()));
  }

  @Override
  public TypeInformation<ProcessorRecord> getProducedType() {
    return ProcessorRecordSerializer.TYPE_INFO;
  }
}
