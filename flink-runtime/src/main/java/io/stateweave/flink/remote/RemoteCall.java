package io.stateweave.flink.remote;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.TooLongFrameException;
import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of a remote function for one address, over all its attempts: the batch of messages it
 * carries, the request, and how it ended. 5xx answers, connection failures and timeouts are tried
 * again after a backoff, up to the policy's limit; other answers (4xx, a body that is no {@code
 * FromFunction}) are not, as another attempt would get the same. The attempts run on the transport's
 * event loop; the ended call goes to {@code onEnd} once, from the event loop, and is read on the
 * task thread after that.
 */
final class RemoteCall implements HttpTransport.Callback {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteCall.class);
  private static final int MAX_BODY_IN_ERRORS = 200;

  private final RemoteFunctionType type;
  private final Address self;
  private final List<Envelope> batch;
  private final HttpTransport transport;
  private final RetryPolicy retry;
  private final Consumer<RemoteCall> onEnd;
  private byte[] request;
  private int statesSent;
  private int attempt;
  private long attemptStart;

  // how it ended: an answer, or a failure after the last attempt
  private FromFunction answer;
  private String failure;
  private Throwable failureCause;

  RemoteCall(
      RemoteFunctionType type,
      Address self,
      List<Envelope> batch,
      HttpTransport transport,
      RetryPolicy retry,
      Consumer<RemoteCall> onEnd) {
    this.type = type;
    this.self = self;
    this.batch = batch;
    this.transport = transport;
    this.retry = retry;
    this.onEnd = onEnd;
  }

  RemoteFunctionType type() {
    return type;
  }

  Address self() {
    return self;
  }

  /** The messages of the call, in the order they arrived. */
  List<Envelope> batch() {
    return batch;
  }

  /** The answer; null when the call failed. */
  FromFunction answer() {
    return answer;
  }

  /** Why the call failed, naming function, address and endpoint; null when it was answered. */
  String failure() {
    return failure;
  }

  Throwable failureCause() {
    return failureCause;
  }

  /** How many of its type's registered states the last request carried. */
  int statesSent() {
    return statesSent;
  }

  /**
   * Makes the call with this {@code ToFunction}, which carries the first {@code statesSent} of the
   * type's registered states; again, with more state, after an answer that asked for it.
   */
  void send(byte[] toFunction, int statesSent) {
    request = toFunction;
    this.statesSent = statesSent;
    answer = null;
    failure = null;
    failureCause = null;
    attempt = 0;
    attempt();
  }

  private void attempt() {
    attemptStart = System.nanoTime();
    transport.post(type.target(), request, this);
  }

  @Override
  public void onResponse(int status, ByteBuf body) {
    type.metrics().latency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attemptStart));
    if (status / 100 != 2) {
      ended(status >= 500, "HTTP status " + status + bodyText(body), null);
      return;
    }
    FromFunction parsed;
    try {
      parsed = type.protocol().answer(body.nioBuffer());
    } catch (IOException e) {
      ended(false, "the answer cannot be read (" + e.getMessage() + ")" + bodyText(body), e);
      return;
    }
    if (parsed.getResponseCase() == FromFunction.ResponseCase.RESPONSE_NOT_SET) {
      ended(
          false,
          "the answer is no FromFunction (neither invocation_result nor"
              + " incomplete_invocation_context)"
              + bodyText(body),
          null);
      return;
    }
    answer = parsed;
    onEnd.accept(this);
  }

  @Override
  public void onFailure(Throwable error) {
    type.metrics().latency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attemptStart));
    boolean retryable =
        (error instanceof IOException || error instanceof TimeoutException)
            && !(error instanceof TooLongFrameException);
    String message = error.getClass().getSimpleName();
    if (error.getMessage() != null) {
      message += ": " + error.getMessage();
    }
    ended(retryable, message, error);
  }

  private void ended(boolean retryable, String problem, Throwable cause) {
    if (retryable && attempt < retry.maxRetries()) {
      attempt++;
      Duration backoff = retry.backoff(attempt);
      type.metrics().retry();
      LOG.warn(
          "Call of remote function {} (id '{}') at {} failed ({}); retry {} of {} in {} ms",
          self.type(),
          self.id(),
          type.target().uri(),
          problem,
          attempt,
          retry.maxRetries(),
          backoff.toMillis());
      try {
        transport.loop().schedule(this::attempt, backoff.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // the transport is closing; the call is in the checkpoint and made again on restore
        LOG.debug("Not retrying {}: the transport is closed", type.target().uri(), e);
      }
      return;
    }
    type.metrics().failure();
    int attempts = attempt + 1;
    failure =
        "Remote function "
            + self.type()
            + " (id '"
            + self.id()
            + "') at "
            + type.target().uri()
            + " failed after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + "; last error: "
            + problem;
    failureCause = cause;
    onEnd.accept(this);
  }

  private static String bodyText(ByteBuf body) {
    int length = body.readableBytes();
    if (length == 0) {
      return "";
    }
    String text =
        body.toString(
            body.readerIndex(), Math.min(length, MAX_BODY_IN_ERRORS), StandardCharsets.UTF_8);
    return ", body: " + text + (length > MAX_BODY_IN_ERRORS ? "..." : "");
  }
}
