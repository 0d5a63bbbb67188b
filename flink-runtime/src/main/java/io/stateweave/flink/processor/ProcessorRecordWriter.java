package io.stateweave.flink.processor;

import io.stateweave.sdk.processor.KafkaOutput;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes an output channel's records to its topic (and partition, if the output names one). */
final class ProcessorRecordWriter implements KafkaRecordSerializationSchema<ProcessorRecord> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final Integer partition;

  ProcessorRecordWriter(KafkaOutput output) {
    this.topic = output.topic();
    this.partition = output.partition();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      ProcessorRecord record, KafkaSinkContext context, Long timestamp) {
    byte[] key = record.key().length == 0 ? null : record.key();
    return new ProducerRecord<>(topic, partition, timestamp, key, record.value());
  }
}
