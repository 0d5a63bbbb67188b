package io.stateweave.flink.remote;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.module.HttpEndpointSpec.Protocol;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one subtask to one origin, with the settings of the first endpoint that
 * called it. Over HTTP/1.1 a pool of kept-alive connections, one call each at a time, calls beyond
 * the pool's size waiting for a free one; over HTTP/2 one connection carrying every call. Which of
 * the two an {@code https} origin speaks is learned from its first connection's TLS handshake
 * (ALPN) unless the endpoint says; until then the other calls wait for it. Used on the event loop
 * only, so it needs no locks.
 */
final class OriginConnections {
  private enum Mode {
    HTTP1,
    HTTP2,
    /** An {@code https} origin whose first connection has not finished its handshake yet. */
    NEGOTIATING
  }

  private final HttpTarget.Origin origin;
  private final HttpEndpointSpec.Pool settings;
  private final SslContext tls;
  private final long readTimeoutMillis;
  private final long writeTimeoutMillis;
  private final Bootstrap bootstrap;
  private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
  private final ArrayDeque<HttpExchange> waiting = new ArrayDeque<>();
  private Mode mode;
  private Http2Connection http2;

  /** Connections open or opening. */
  private int open;

  /** Connections opening: connecting, or in their TLS handshake when it chooses the protocol. */
  private int opening;

  /**
   * @param tls the TLS of an {@code https} origin, offering the protocols its endpoint allows in
   *     ALPN; null for {@code http}
   */
  OriginConnections(HttpTarget target, EventLoop loop, boolean epoll, SslContext tls) {
    this.origin = target.origin();
    this.settings = target.pool();
    this.tls = tls;
    this.readTimeoutMillis = target.readTimeout().toMillis();
    this.writeTimeoutMillis = target.writeTimeout().toMillis();
    Protocol protocol = settings.protocol();
    this.mode =
        switch (protocol) {
          case H2, H2C -> Mode.HTTP2;
          case HTTP_1_1 -> Mode.HTTP1;
          case AUTO -> origin.tls() ? Mode.NEGOTIATING : Mode.HTTP1;
        };
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, target.connectTimeout().toMillis()))
            .remoteAddress(origin.host(), origin.port());
  }

  HttpEndpointSpec.Pool settings() {
    return settings;
  }

  void submit(HttpExchange exchange) {
    if (http2 != null && http2.usable()) {
      http2.start(exchange);
      return;
    }
    if (mode == Mode.HTTP1) {
      Http1Connection connection;
      while ((connection = idle.pollFirst()) != null) {
        if (connection.channel().isActive()) {
          exchange.reusedConnection = true;
          connection.start(exchange);
          return;
        }
      }
    }
    exchange.reusedConnection = false;
    if (mayConnect()) {
      connect(exchange);
    } else {
      waiting.addLast(exchange);
    }
  }

  /** A call whose connection could not take it goes once more, not counted as a failed attempt. */
  void tryAgain(HttpExchange exchange) {
    exchange.goesAgain();
    if (mode == Mode.HTTP1) {
      // may exceed the pool's size by the calls tried again
      connect(exchange);
    } else if (http2 != null && http2.usable()) {
      http2.start(exchange);
    } else {
      waiting.addFirst(exchange);
      connectForWaiting();
    }
  }

  private boolean mayConnect() {
    return mode == Mode.HTTP1
        ? open < settings.maxConnections()
        : opening == 0 && (http2 == null || !http2.usable());
  }

  private void connectForWaiting() {
    while (mayConnect()) {
      HttpExchange next = nextWaiting();
      if (next == null) {
        return;
      }
      connect(next);
    }
  }

  private HttpExchange nextWaiting() {
    HttpExchange next;
    while ((next = waiting.pollFirst()) != null) {
      if (!next.done()) {
        return next;
      }
    }
    return null;
  }

  /** Opens a connection that starts with {@code first}. */
  private void connect(HttpExchange first) {
    open++;
    opening++;
    Opening connection = new Opening(first);
    ChannelFuture connecting = bootstrap.clone().handler(connection).connect();
    connecting.addListener(
        future -> {
          if (!future.isSuccess()) {
            open--;
            connection.failed(future.cause());
            return;
          }
          connecting.channel().closeFuture().addListener(closed -> closed(connection));
          if (!connection.negotiates) {
            connection.ready(connecting.channel());
          }
        });
  }

  private void closed(Opening connection) {
    open--;
    if (!connection.settled) {
      connection.failed(
          new IOException("the connection to " + this + " closed before it could take a call"));
      return;
    }
    if (http2 != null && connection.channel == http2.channel()) {
      http2 = null;
    }
    connectForWaiting();
  }

  /** A connection is free again: it takes the next waiting call or waits in the pool. */
  void release(Http1Connection connection) {
    HttpExchange next = nextWaiting();
    if (next != null) {
      connection.start(next);
      return;
    }
    if (settings.idleTimeToLive().isZero()) {
      connection.channel().close();
      return;
    }
    connection.idleSince = System.nanoTime();
    idle.addFirst(connection);
  }

  /** The HTTP/2 connection carries no call any more. */
  void idle(Http2Connection connection) {
    if (settings.idleTimeToLive().isZero()) {
      connection.channel().close();
    }
  }

  void forget(HttpExchange exchange) {
    if (exchange.channel == null) {
      waiting.remove(exchange);
    }
  }

  void closeIdleSince(long nanos) {
    // a closed idle connection stays in the deque until taken or swept here: removing it when it
    // closes would scan the deque on every close
    idle.removeIf(connection -> !connection.channel().isActive());
    // the deque's last connections have been idle longest
    Http1Connection oldest;
    while ((oldest = idle.peekLast()) != null && oldest.idleSince - nanos <= 0) {
      idle.pollLast();
      oldest.channel().close();
    }
    if (http2 != null && http2.idle() && http2.idleSince - nanos <= 0) {
      http2.channel().close();
    }
  }

  @Override
  public String toString() {
    return origin.host() + ":" + origin.port();
  }

  /** A connection from its start until it can take calls, with the call it opened for. */
  private final class Opening extends ChannelInitializer<SocketChannel> {
    /** Null once settled: the connection outlives its first call. */
    private HttpExchange first;

    /** Whether its TLS handshake chooses the protocol, so that it is ready only after it. */
    private final boolean negotiates = tls != null && settings.protocol() != Protocol.HTTP_1_1;

    private Channel channel;
    private Http2Connection overHttp2;
    private boolean settled;

    Opening(HttpExchange first) {
      this.first = first;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
      this.channel = channel;
      ChannelPipeline pipeline = channel.pipeline();
      if (tls == null) {
        if (mode == Mode.HTTP2) {
          overHttp2 = Http2Connection.install(OriginConnections.this, channel);
        } else {
          installHttp1(pipeline);
        }
        return;
      }
      SslHandler handshake = tls.newHandler(channel.alloc(), origin.host(), origin.port());
      // the handshake's failure is why the connection closes: the call learns it first
      handshake.handshakeFuture().addListener(done -> {
        if (!done.isSuccess()) {
          failed(done.cause());
        }
      });
      pipeline.addLast(handshake);
      if (negotiates) {
        pipeline.addLast(new Negotiation(this));
      } else {
        installHttp1(pipeline);
      }
    }

    private void installHttp1(ChannelPipeline pipeline) {
      if (readTimeoutMillis > 0) {
        pipeline.addLast(new IdleStateHandler(readTimeoutMillis, 0, 0, TimeUnit.MILLISECONDS));
      }
      if (writeTimeoutMillis > 0) {
        pipeline.addLast(new WriteTimeoutHandler(writeTimeoutMillis, TimeUnit.MILLISECONDS));
      }
      pipeline
          .addLast(new HttpClientCodec())
          .addLast(new HttpObjectAggregator(settings.maxPayloadBytes()))
          .addLast(new Http1Connection(OriginConnections.this));
    }

    /** The connection takes calls now: {@code first}, then over HTTP/2 every waiting one. */
    void ready(Channel channel) {
      HttpExchange call = settle();
      if (overHttp2 != null) {
        mode = Mode.HTTP2;
        http2 = overHttp2;
        if (!call.done()) {
          http2.start(call);
        }
        HttpExchange next;
        while ((next = nextWaiting()) != null) {
          http2.start(next);
        }
        return;
      }
      mode = Mode.HTTP1;
      Http1Connection connection = channel.pipeline().get(Http1Connection.class);
      if (call.done()) {
        release(connection);
      } else {
        connection.start(call);
      }
      connectForWaiting();
    }

    void failed(Throwable cause) {
      if (settled) {
        return;
      }
      settle().fail(cause);
      connectForWaiting();
    }

    private HttpExchange settle() {
      settled = true;
      opening--;
      HttpExchange call = first;
      first = null;
      return call;
    }
  }

  /** Chooses the connection's protocol from what its TLS handshake agreed on. */
  private final class Negotiation extends ApplicationProtocolNegotiationHandler {
    private final Opening connection;

    Negotiation(Opening connection) {
      super(ApplicationProtocolNames.HTTP_1_1);
      this.connection = connection;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext context, String protocol) {
      Channel channel = context.channel();
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        connection.overHttp2 = Http2Connection.install(OriginConnections.this, channel);
        connection.ready(channel);
      } else if (settings.protocol() == Protocol.H2) {
        connection.failed(
            new IOException(
                "the server "
                    + OriginConnections.this
                    + " did not offer HTTP/2 in the TLS handshake (ALPN), and the endpoint's"
                    + " protocol is h2"));
        context.close();
      } else {
        connection.installHttp1(channel.pipeline());
        connection.ready(channel);
      }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext context, Throwable cause) {
      // the call learnt it from the handshake's future
      context.close();
    }
  }
}
