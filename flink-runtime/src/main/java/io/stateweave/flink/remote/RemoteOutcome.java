package io.stateweave.flink.remote;

import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.message.RemoteRequest;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How a call of a remote function ended, on its way back to the dispatcher that owns the address.
 * It travels the feedback loop as an {@link Envelope} to the address with a payload of the internal
 * type {@value #TYPE_NAME}, so the loop (its serializer, its checkpoint log) stays as it is. It
 * carries the request too: the dispatcher re-sends the batch when the function asks for more state
 * and writes the messages to the dead-letter egress when the call was given up.
 */
public final class RemoteOutcome {
  public static final String TYPE_NAME = "io.stateweave.internal/remote-response";
  private static final TypeName TYPE = TypeName.parse(TYPE_NAME);
  private static final byte RESPONSE = 1;
  private static final byte GAVE_UP = 2;

  private final RemoteRequest request;
  private final byte[] fromFunction;
  private final String failure;

  private RemoteOutcome(RemoteRequest request, byte[] fromFunction, String failure) {
    this.request = Objects.requireNonNull(request, "request");
    this.fromFunction = fromFunction;
    this.failure = failure;
  }

  /** The function answered with these {@code FromFunction} bytes. */
  public static RemoteOutcome response(RemoteRequest request, byte[] fromFunction) {
    return new RemoteOutcome(request, Objects.requireNonNull(fromFunction, "fromFunction"), null);
  }

  /** Every attempt failed; {@code failure} says why, naming the endpoint. */
  public static RemoteOutcome gaveUp(RemoteRequest request, String failure) {
    return new RemoteOutcome(request, null, Objects.requireNonNull(failure, "failure"));
  }

  public RemoteRequest request() {
    return request;
  }

  public boolean gaveUp() {
    return failure != null;
  }

  /** The {@code FromFunction} bytes; only when not given up. */
  public byte[] fromFunction() {
    return fromFunction;
  }

  /** Why the call was given up; only when it was. */
  public String failure() {
    return failure;
  }

  public static boolean is(TypedValue payload) {
    return payload.typeName().equals(TYPE);
  }

  public Envelope toEnvelope() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(failure == null ? RESPONSE : GAVE_UP);
      writeBytes(out, request.toFunction());
      writeBytes(out, failure == null ? fromFunction : failure.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Envelope(request.target(), null, TypedValue.ofBytes(TYPE, bytes.toByteArray()));
  }

  public static RemoteOutcome fromEnvelope(Envelope envelope) {
    if (!is(envelope.payload())) {
      throw new IllegalArgumentException("Not a remote outcome: " + envelope);
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(envelope.payload().bytes()))) {
      byte kind = in.readByte();
      RemoteRequest request = new RemoteRequest(envelope.target(), readBytes(in));
      byte[] rest = readBytes(in);
      switch (kind) {
        case RESPONSE:
          return response(request, rest);
        case GAVE_UP:
          return gaveUp(request, new String(rest, StandardCharsets.UTF_8));
        default:
          throw new IllegalArgumentException("Unknown kind " + kind + " of remote outcome");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Corrupt remote outcome for " + envelope.target(), e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
