package io.stateweave.flink.transaction;

import io.stateweave.sdk.entity.TransactionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The form the answers are kept in, for resubmitted request ids: each answer in bytes without its
 * request id, which is the state's key, and one epoch's request ids in one value. A checkpoint then
 * writes each id once and copies the rest as bytes, rather than serializing the id three times.
 */
final class KeptAnswers {
  private final DataOutputSerializer buffer = new DataOutputSerializer(256);

  /** The answer without its request id. */
  byte[] answer(TransactionResult result) {
    try {
      result.writeWithoutRequestId(buffer);
      return buffer.getCopyOfBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      buffer.clear();
    }
  }

  /** The answer {@link #answer(TransactionResult)} kept, under its request id again. */
  static TransactionResult answer(String requestId, byte[] kept) {
    try {
      return TransactionResult.readWithoutRequestId(requestId, new DataInputDeserializer(kept));
    } catch (IOException e) {
      throw new UncheckedIOException("A kept answer of request " + requestId + " is corrupt", e);
    }
  }

  byte[] requestIds(Collection<String> requestIds) {
    try {
      buffer.writeInt(requestIds.size());
      for (String requestId : requestIds) {
        buffer.writeUTF(requestId);
      }
      return buffer.getCopyOfBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      buffer.clear();
    }
  }

  static List<String> requestIds(byte[] kept) {
    try {
      DataInputDeserializer in = new DataInputDeserializer(kept);
      int count = in.readInt();
      List<String> requestIds = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        requestIds.add(in.readUTF());
      }
      return requestIds;
    } catch (IOException e) {
      throw new UncheckedIOException("An epoch's kept request ids are corrupt", e);
    }
  }
}
