package io.stateweave.flink.translation;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.ingress.DeadLetter;
import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the transactions' Kafka source makes of a request record. */
class KafkaTransactionsRequestReaderTest {
  private static final TransactionRequest DEPOSIT =
      TransactionRequest.of("r1", TypeName.parse("bank/account"), "deposit", "alice", 5L);

  private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ConsumerRecord<>(
        "bank-requests", 1, 17, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static byte[] bytes(TransactionRequest request) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    request.write(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private static TransactionResult rejection(String key, String problem) {
    return TransactionResult.aborted(
        key,
        0,
        0,
        "java.lang.IllegalArgumentException",
        "record bank-requests/1 at offset 17 with key '"
            + key
            + "' is not a transaction request: "
            + problem);
  }

  @Test
  void aRequestUnderItsIdIsARequest() throws IOException {
    assertThat(KafkaTransactions.RequestReader.read(record("r1", bytes(DEPOSIT))).left())
        .isEqualTo(DEPOSIT);
  }

  @Test
  void aValueThatIsNotARequestIsRejectedUnderTheRecordsKey() {
    assertThat(
            KafkaTransactions.RequestReader.read(record("r2", new byte[] {0, 5, 'a'}))
                .right()
                .left())
        .isEqualTo(
            rejection(
                "r2", "its value is not TransactionRequest.write's bytes (java.io.EOFException)"));
  }

  @Test
  void aRequestUnderAnotherKeyIsRejectedUnderTheKey() throws IOException {
    assertThat(KafkaTransactions.RequestReader.read(record("r3", bytes(DEPOSIT))).right().left())
        .isEqualTo(rejection("r3", "its value is request 'r1', not its key"));
  }

  @Test
  void aRecordWithoutAValueIsRejectedUnderItsKey() {
    assertThat(KafkaTransactions.RequestReader.read(record("r4", null)).right().left())
        .isEqualTo(rejection("r4", "it has no value"));
  }

  @Test
  void aRecordWithoutAKeyHasNoOneToAnswerSoItIsADeadLetterOfTheTransactions() throws IOException {
    KafkaTransactions.RequestReader reader =
        new KafkaTransactions.RequestReader(
            TypeName.parse("bank/transactions"), BadRecordPolicy.DEAD_LETTER);

    DeadLetter letter = reader.deadLetter(record(null, bytes(DEPOSIT)));

    assertThat(letter)
        .usingRecursiveComparison()
        .isEqualTo(
            new DeadLetter(
                TypeName.parse("bank/transactions"),
                "topic bank-requests, partition 1, offset 17",
                "has no key, which is the request id to answer under",
                null,
                null,
                bytes(DEPOSIT)));
    assertThat(reader.deadLetter(record("", bytes(DEPOSIT))).key).isEmpty();
  }
}
