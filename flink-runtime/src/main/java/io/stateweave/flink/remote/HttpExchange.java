package io.stateweave.flink.remote;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt of a call: its request, the connection or HTTP/2 stream carrying it, and its end,
 * which the callback learns exactly once. Used on the event loop only.
 */
final class HttpExchange {
  /**
   * Enough for a server that rotates its connections while many calls are in flight: a call that
   * waits behind others for the server's stream limit may be refused by several rotations in a
   * row. Safe, since a refused request was not processed; the call timeout bounds it too.
   */
  static final int MAX_UNPROCESSED_RETRIES = 64;

  final HttpTarget target;
  private final byte[] body;
  private final HttpTransport.Callback callback;
  private ScheduledFuture<?> callTimeout;

  /** The connection (HTTP/1.1) or stream (HTTP/2) the request went out on; null while waiting. */
  Channel channel;

  /** Whether it went out on a connection that had carried calls before. */
  boolean reusedConnection;

  /** How often it went again because a connection could not take it. */
  private int retries;

  private boolean done;

  HttpExchange(HttpTarget target, byte[] body, HttpTransport.Callback callback) {
    this.target = Objects.requireNonNull(target, "target");
    this.body = Objects.requireNonNull(body, "body");
    this.callback = Objects.requireNonNull(callback, "callback");
  }

  /** The POST to send; an HTTP/2 stream converts it into its frames. */
  FullHttpRequest request() {
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            target.pathAndQuery(),
            Unpooled.wrappedBuffer(body));
    request
        .headers()
        .set(HttpHeaderNames.HOST, target.hostHeader())
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return request;
  }

  void startCallTimeout(EventLoop loop, OriginConnections connections) {
    long nanos = target.callTimeout().toNanos();
    callTimeout = loop.schedule(() -> timedOut(connections), nanos, TimeUnit.NANOSECONDS);
  }

  private void timedOut(OriginConnections connections) {
    if (done) {
      return;
    }
    connections.forget(this);
    fail(
        new TimeoutException(
            "no response within the call timeout of " + target.callTimeout().toMillis() + " ms"));
    if (channel != null) {
      // HTTP/1.1: the late response would arrive as the answer to the connection's next call;
      // HTTP/2: closing the stream resets it and leaves the connection to the other calls
      channel.close();
    }
  }

  boolean done() {
    return done;
  }

  /**
   * Whether it may go again on another connection without counting as a failed attempt: a request
   * the server did not process (HTTP/2's GOAWAY or REFUSED_STREAM, a request not written whole)
   * up to {@link #MAX_UNPROCESSED_RETRIES} times, bounded also by the call timeout; one whose
   * kept-alive connection closed before the answer once, since the server may have processed it.
   */
  boolean mayGoAgain(boolean unprocessed) {
    return !done && (unprocessed ? retries < MAX_UNPROCESSED_RETRIES : retries == 0 && reusedConnection);
  }

  void goesAgain() {
    retries++;
    channel = null;
    reusedConnection = false;
  }

  void respond(int status, ByteBuf content) {
    if (finish()) {
      try {
        callback.onResponse(status, content);
      } catch (RuntimeException | Error e) {
        // the call must end, also when reading its answer fails
        callback.onFailure(e);
      }
    }
  }

  void fail(Throwable error) {
    if (finish()) {
      callback.onFailure(error);
    }
  }

  private boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    if (callTimeout != null) {
      callTimeout.cancel(false);
    }
    return true;
  }
}
