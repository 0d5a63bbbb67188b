package io.stateweave.flink.remote;

import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * How the calls of a remote function type are written and their answers read: StateFun's 3.x
 * request-reply protocol or its 2.x one. Answers are read into the 3.x {@link FromFunction}, which
 * {@link RemoteFunctions} applies, so batching, state and messaging are one implementation whatever
 * a function speaks.
 */
interface RemoteProtocol {

  /** The body of a call of {@code self} with these messages and the address's states. */
  byte[] request(Address self, List<Envelope> batch, List<StateValue> states);

  /** The answer read from the body; one without a response is returned as such. */
  FromFunction answer(ByteBuffer body) throws IOException;

  /** A state sent with a call: what it is, and its bytes (null: it has no value). */
  record StateValue(ValueSpec<byte[]> spec, byte[] value) {}
}
