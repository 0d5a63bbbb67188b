package io.stateweave.flink.remote;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP/2 connection that carries every call to its origin, each on a stream of its own. Streams
 * beyond the server's limit of concurrent streams wait in the connection (Netty's stream-buffering
 * encoder) rather than fail. Used on the event loop only.
 */
final class Http2Connection {
  private final OriginConnections connections;
  private final Channel channel;
  private final Http2StreamChannelBootstrap streams;
  private int openStreams;
  private boolean goingAway;
  private boolean carriedCalls;

  /** When its last stream closed, by {@link System#nanoTime}. */
  long idleSince = System.nanoTime();

  private Http2Connection(OriginConnections connections, Channel channel) {
    this.connections = connections;
    this.channel = channel;
    this.streams = new Http2StreamChannelBootstrap(channel);
  }

  /** Makes the HTTP/2 pipeline of a connection whose TLS handshake (if any) is done or under way. */
  static Http2Connection install(OriginConnections connections, Channel channel) {
    Http2Connection connection = new Http2Connection(connections, channel);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast(
        Http2FrameCodecBuilder.forClient()
            .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
            .encoderEnforceMaxConcurrentStreams(true)
            .build(),
        new Http2MultiplexHandler(new RefusePushedStreams()),
        connection.new ConnectionEvents());
    return connection;
  }

  Channel channel() {
    return channel;
  }

  /**
   * Whether a new call may go on it: it is open, and the server neither said it is going away nor
   * refused a stream.
   */
  boolean usable() {
    return channel.isActive() && !goingAway;
  }

  boolean idle() {
    return openStreams == 0;
  }

  void start(HttpExchange exchange) {
    openStreams++;
    exchange.reusedConnection = carriedCalls;
    carriedCalls = true;
    streams
        .open()
        .addListener(
            opened -> {
              if (!opened.isSuccess()) {
                streamClosed();
                if (exchange.mayGoAgain(true)) {
                  connections.tryAgain(exchange);
                } else {
                  exchange.fail(opened.cause());
                }
                return;
              }
              Http2StreamChannel stream = (Http2StreamChannel) opened.getNow();
              stream.closeFuture().addListener(closed -> streamClosed());
              if (exchange.done()) {
                stream.close();
                return;
              }
              exchange.channel = stream;
              ChannelPipeline pipeline = stream.pipeline();
              HttpTarget target = exchange.target;
              if (!target.readTimeout().isZero()) {
                pipeline.addLast(
                    new IdleStateHandler(target.readTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
              }
              if (!target.writeTimeout().isZero()) {
                pipeline.addLast(
                    new WriteTimeoutHandler(target.writeTimeout().toMillis(), TimeUnit.MILLISECONDS));
              }
              Stream handler = new Stream(exchange);
              pipeline.addLast(
                  new Http2StreamFrameToHttpObjectCodec(false),
                  new HttpObjectAggregator(target.pool().maxPayloadBytes()),
                  handler);
              stream
                  .writeAndFlush(exchange.request())
                  .addListener(
                      written -> {
                        if (!written.isSuccess()) {
                          handler.notSent(written.cause());
                          stream.close();
                        }
                      });
            });
  }

  private void streamClosed() {
    openStreams--;
    if (openStreams == 0) {
      idleSince = System.nanoTime();
      if (goingAway) {
        channel.close();
      } else {
        connections.idle(this);
      }
    }
  }

  @Override
  public String toString() {
    return connections.toString();
  }

  /** The connection's own frames: a GOAWAY stops new calls; the rest is not needed here. */
  private final class ConnectionEvents extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      if (message instanceof Http2GoAwayFrame) {
        goingAway = true;
        if (openStreams == 0) {
          context.close();
        }
      }
      ReferenceCountUtil.release(message);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      // the streams learn it as their channels close
      context.close();
    }
  }

  /** One call's stream: its answer, or why there is none. */
  private final class Stream extends ChannelInboundHandlerAdapter {
    private final HttpExchange exchange;

    /** The server did not process the request, or never got all of it: it may go again. */
    private boolean refused;

    private String resetBy;
    private Throwable notSentBecause;

    Stream(HttpExchange exchange) {
      this.exchange = exchange;
    }

    /**
     * The request could not be written whole (e.g. the stream waited for the server's limit of
     * concurrent streams when a GOAWAY came), so the server cannot have processed it.
     */
    void notSent(Throwable cause) {
      refused = true;
      notSentBecause = cause;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      try {
        if (message instanceof FullHttpResponse response) {
          exchange.respond(response.status().code(), response.content());
        }
      } finally {
        ReferenceCountUtil.release(message);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
      try {
        if (event instanceof Http2GoAwayFrame) {
          refused = true;
        } else if (event instanceof Http2ResetFrame reset) {
          refused = reset.errorCode() == Http2Error.REFUSED_STREAM.code();
          if (refused) {
            // the client keeps to the server's stream limit, so the server is going away
            goingAway = true;
          }
          Http2Error error = Http2Error.valueOf(reset.errorCode());
          resetBy = error != null ? error.name() : Long.toString(reset.errorCode());
        } else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
          exchange.fail(
              new TimeoutException(
                  "nothing read within the read timeout of "
                      + exchange.target.readTimeout().toMillis()
                      + " ms"));
          context.close();
        }
      } finally {
        ReferenceCountUtil.release(event);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      if (exchange.done()) {
        return;
      }
      if (exchange.mayGoAgain(refused)) {
        // not processed by the server, or on a connection that may have gone stale
        connections.tryAgain(exchange);
        return;
      }
      if (notSentBecause != null) {
        exchange.fail(notSentBecause);
        return;
      }
      exchange.fail(
          new IOException(
              "the HTTP/2 stream to "
                  + connections
                  + (resetBy != null ? " was reset by the server (" + resetBy + ")" : " closed")
                  + " before the answer"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      exchange.fail(cause);
      context.close();
    }
  }

  /** Push is switched off in the client's settings; a stream the server opens anyway is closed. */
  private static final class RefusePushedStreams extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel stream) {
      stream.close();
    }
  }
}
