package io.stateweave.sdk.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TransactionRecordsTest {

  @Test
  void requestsAndResultsReadBackEqual() throws IOException {
    TransactionRequest request =
        TransactionRequest.of("r1", Bank.ACCOUNT_NAME, "transfer", "alice", "bob", 30L);
    TransactionResult committed = TransactionResult.committed("r1", 4, 9, 70L);
    TransactionResult aborted =
        TransactionResult.aborted("r2", 5, 10, "java.lang.IllegalStateException", null);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    request.write(out);
    committed.write(out);
    aborted.write(out);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));

    assertThat(TransactionRequest.read(in)).isEqualTo(request);
    assertThat(TransactionResult.read(in)).isEqualTo(committed);
    assertThat(TransactionResult.read(in)).isEqualTo(aborted);
    assertThat(in.available()).isZero();
  }
}
