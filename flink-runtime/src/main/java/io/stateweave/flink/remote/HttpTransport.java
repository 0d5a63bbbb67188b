package io.stateweave.flink.remote;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.stateweave.flink.module.HttpEndpointSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP/1.1 client of one dispatcher subtask. One event-loop thread does the I/O of every call,
 * so thousands of calls in flight cost no thread each (a blocking client parks a thread per call,
 * and on two cores the switching between them cost more than the calls). Connections are kept
 * alive and pooled per origin; a connection carries one call at a time (HTTP/1.1 without
 * pipelining), and calls beyond the pool's size wait for a free connection.
 *
 * <p>Everything but {@link #post} and {@link #close} runs on the event loop, so the pools need no
 * locks. A call's callback is invoked exactly once, on the event loop. On Linux the loop is
 * Netty's epoll transport, for TCP_QUICKACK (see the request's write listener); elsewhere NIO.
 */
final class HttpTransport implements AutoCloseable {

  /** How a call ends; invoked once, on the event loop. */
  interface Callback {
    /** The whole response arrived; {@code body} is released when this returns. */
    void onResponse(int status, ByteBuf body);

    /** No response: the connection failed or closed, or a timeout passed. */
    void onFailure(Throwable error);
  }

  private static final String CLASSPATH = "classpath:";
  private static final boolean EPOLL = Epoll.isAvailable();

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Map<HttpTarget.Origin, ConnectionPool> pools = new HashMap<>();
  private final Map<HttpEndpointSpec.Tls, SslContext> tlsContexts = new HashMap<>();

  HttpTransport(ThreadFactory threads) {
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, threads, EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.loop = group.next();
    loop.scheduleAtFixedRate(this::closeExpiredIdle, 1, 1, TimeUnit.SECONDS);
  }

  /** The thread that does the I/O; timers for retries run on it too. */
  EventLoop loop() {
    return loop;
  }

  /** Posts {@code body} to the target; callable from any thread. */
  void post(HttpTarget target, byte[] body, Callback callback) {
    Exchange exchange = new Exchange(target, body, callback);
    if (loop.inEventLoop()) {
      submit(exchange);
    } else {
      loop.execute(() -> submit(exchange));
    }
  }

  private void submit(Exchange exchange) {
    ConnectionPool pool = pools.get(exchange.target.origin());
    if (pool == null) {
      try {
        pool = new ConnectionPool(exchange.target);
      } catch (IllegalArgumentException e) {
        // unreadable certificates: every call to the origin ends with why
        exchange.fail(e);
        return;
      }
      pools.put(exchange.target.origin(), pool);
    }
    exchange.startCallTimeout(pool);
    pool.submit(exchange);
  }

  private void closeExpiredIdle() {
    long now = System.nanoTime();
    for (ConnectionPool pool : pools.values()) {
      pool.closeIdleSince(now - pool.settings.idleTimeToLive().toNanos());
    }
  }

  private SslContext tls(HttpTarget target) {
    SslContext context = tlsContexts.get(target.tls());
    if (context == null) {
      context = buildTls(target.tls());
      tlsContexts.put(target.tls(), context);
    }
    return context;
  }

  private static SslContext buildTls(HttpEndpointSpec.Tls tls) {
    SslContextBuilder builder = SslContextBuilder.forClient();
    try {
      if (tls.trustCaCerts() != null) {
        try (InputStream certificates = open("trust_cacerts", tls.trustCaCerts())) {
          builder.trustManager(certificates);
        }
      }
      if (tls.clientCert() != null) {
        try (InputStream chain = open("client_cert", tls.clientCert());
            InputStream key = open("client_key", tls.clientKey())) {
          builder.keyManager(chain, key, tls.clientKeyPassword());
        }
      }
      return builder.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot use the endpoint's certificates (" + e.getMessage() + ")", e);
    }
  }

  /** A PEM file, or a {@code classpath:} resource of the job's class loader. */
  private static InputStream open(String setting, String location) throws IOException {
    String resource = location.startsWith(CLASSPATH) ? location.substring(CLASSPATH.length()) : null;
    InputStream in;
    if (resource != null) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      in = (loader != null ? loader : HttpTransport.class.getClassLoader()).getResourceAsStream(resource);
    } else {
      in = Files.exists(Path.of(location)) ? Files.newInputStream(Path.of(location)) : null;
    }
    if (in == null) {
      throw new IllegalArgumentException(setting + " '" + location + "' does not exist");
    }
    return in;
  }

  /** Stops the event loop; calls in flight are abandoned (they are in the checkpoint). */
  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One attempt: a request on a connection and its response. */
  private final class Exchange {
    final HttpTarget target;
    final byte[] body;
    final Callback callback;
    private ScheduledFuture<?> callTimeout;
    private Channel channel;
    private boolean reusedConnection;
    private boolean triedAgain;
    private boolean done;

    Exchange(HttpTarget target, byte[] body, Callback callback) {
      this.target = target;
      this.body = body;
      this.callback = callback;
    }

    void startCallTimeout(ConnectionPool pool) {
      long nanos = target.callTimeout().toNanos();
      callTimeout = loop.schedule(() -> timedOut(pool), nanos, TimeUnit.NANOSECONDS);
    }

    private void timedOut(ConnectionPool pool) {
      if (done) {
        return;
      }
      pool.forget(this);
      fail(
          new TimeoutException(
              "no response within the call timeout of " + target.callTimeout().toMillis() + " ms"));
      if (channel != null) {
        // the late response would arrive as the answer to the connection's next call
        channel.close();
      }
    }

    boolean done() {
      return done;
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

  /** The connections to one origin, with the settings of the first endpoint that called it. */
  private final class ConnectionPool {
    private final HttpTarget.Origin origin;
    private final HttpEndpointSpec.Pool settings;
    private final Bootstrap bootstrap;
    private final ArrayDeque<ConnectionHandler> idle = new ArrayDeque<>();
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private int open;

    ConnectionPool(HttpTarget target) {
      this.origin = target.origin();
      this.settings = target.pool();
      SslContext tlsContext = origin.tls() ? tls(target) : null;
      long readTimeout = target.readTimeout().toMillis();
      long writeTimeout = target.writeTimeout().toMillis();
      this.bootstrap =
          new Bootstrap()
              .group(loop)
              .channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.SO_KEEPALIVE, true)
              .option(
                  ChannelOption.CONNECT_TIMEOUT_MILLIS,
                  (int) Math.min(Integer.MAX_VALUE, target.connectTimeout().toMillis()))
              .remoteAddress(origin.host(), origin.port())
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                      if (tlsContext != null) {
                        channel
                            .pipeline()
                            .addLast(
                                tlsContext.newHandler(channel.alloc(), origin.host(), origin.port()));
                      }
                      if (readTimeout > 0) {
                        channel
                            .pipeline()
                            .addLast(
                                new IdleStateHandler(readTimeout, 0, 0, TimeUnit.MILLISECONDS));
                      }
                      if (writeTimeout > 0) {
                        channel
                            .pipeline()
                            .addLast(new WriteTimeoutHandler(writeTimeout, TimeUnit.MILLISECONDS));
                      }
                      channel
                          .pipeline()
                          .addLast(new HttpClientCodec())
                          .addLast(new HttpObjectAggregator(settings.maxPayloadBytes()))
                          .addLast(new ConnectionHandler(ConnectionPool.this));
                    }
                  });
    }

    void submit(Exchange exchange) {
      ConnectionHandler connection;
      while ((connection = idle.pollFirst()) != null) {
        if (connection.channel.isActive()) {
          exchange.reusedConnection = true;
          connection.start(exchange);
          return;
        }
      }
      exchange.reusedConnection = false;
      if (open < settings.maxConnections()) {
        connect(exchange);
      } else {
        waiting.addLast(exchange);
      }
    }

    /** Opens a connection for the call; may exceed the pool's size by the calls tried again. */
    void connect(Exchange exchange) {
      open++;
      ChannelFuture connecting = bootstrap.connect();
      connecting.addListener(
          future -> {
            Channel channel = connecting.channel();
            if (!future.isSuccess()) {
              open--;
              exchange.fail(future.cause());
              return;
            }
            channel.closeFuture().addListener(closed -> closed());
            ConnectionHandler connection = channel.pipeline().get(ConnectionHandler.class);
            if (exchange.done()) {
              release(connection);
            } else {
              connection.start(exchange);
            }
          });
    }

    /** A connection is free again: it takes the next waiting call or waits in the pool. */
    void release(ConnectionHandler connection) {
      Exchange next;
      while ((next = waiting.pollFirst()) != null) {
        if (!next.done()) {
          connection.start(next);
          return;
        }
      }
      if (settings.idleTimeToLive().isZero()) {
        connection.channel.close();
        return;
      }
      connection.idleSince = System.nanoTime();
      idle.addFirst(connection);
    }

    private void closed() {
      // a closed idle connection stays in the deque until taken or swept: removing it here would
      // scan the deque on every close
      open--;
      Exchange next;
      while ((next = waiting.pollFirst()) != null) {
        if (!next.done()) {
          connect(next);
          return;
        }
      }
    }

    void forget(Exchange exchange) {
      if (exchange.channel == null) {
        waiting.remove(exchange);
      }
    }

    void closeIdleSince(long nanos) {
      idle.removeIf(connection -> !connection.channel.isActive());
      // the deque's last connections have been idle longest
      ConnectionHandler oldest;
      while ((oldest = idle.peekLast()) != null && oldest.idleSince - nanos <= 0) {
        idle.pollLast();
        oldest.channel.close();
      }
    }

    @Override
    public String toString() {
      return origin.host() + ":" + origin.port();
    }
  }

  /** The end of a connection's pipeline: writes a call's request and completes it. */
  private static final class ConnectionHandler
      extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final ConnectionPool pool;
    private Channel channel;
    private Exchange current;

    /** When the connection last went back into the pool, by {@link System#nanoTime}. */
    private long idleSince;

    ConnectionHandler(ConnectionPool pool) {
      this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      channel = context.channel();
    }

    void start(Exchange exchange) {
      exchange.channel = channel;
      current = exchange;
      HttpTarget target = exchange.target;
      DefaultFullHttpRequest request =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1,
              HttpMethod.POST,
              target.pathAndQuery(),
              Unpooled.wrappedBuffer(exchange.body));
      request
          .headers()
          .set(HttpHeaderNames.HOST, target.hostHeader())
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, exchange.body.length);
      exchange
          .channel
          .writeAndFlush(request)
          .addListener(
              written -> {
                if (!written.isSuccess()) {
                  failAndClose(exchange.channel, written.cause());
                } else if (exchange.channel instanceof EpollSocketChannel epoll) {
                  // Sending the request put the socket back into delayed-ACK mode; a server
                  // whose answer comes in two writes under Nagle's algorithm (the JDK's) would
                  // wait about 40 ms for the ACK of the first before sending the second.
                  epoll.config().setTcpQuickAck(true);
                }
              });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
      Exchange exchange = current;
      current = null;
      if (exchange == null) {
        // an answer nobody asked for: the connection cannot be trusted any more
        context.close();
        return;
      }
      exchange.respond(response.status().code(), response.content());
      if (HttpUtil.isKeepAlive(response) && context.channel().isActive()) {
        pool.release(this);
      } else {
        context.close();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
      if (event instanceof IdleStateEvent idle
          && idle.state() == IdleState.READER_IDLE
          && current != null) {
        failAndClose(
            context.channel(),
            new TimeoutException(
                "nothing read within the read timeout of "
                    + current.target.readTimeout().toMillis()
                    + " ms"));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      if (current != null) {
        Exchange exchange = current;
        current = null;
        if (exchange.reusedConnection && !exchange.triedAgain && !exchange.done()) {
          // A server may close a kept-alive connection just as a call goes out on it (the JDK's
          // closes all but 200 idle ones): the call goes once more, on a new connection (another
          // kept-alive one may be closing too), without counting as a failed attempt.
          exchange.triedAgain = true;
          exchange.channel = null;
          exchange.reusedConnection = false;
          pool.connect(exchange);
          return;
        }
        exchange.fail(new IOException("the connection to " + pool + " closed before the answer"));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      failAndClose(context.channel(), cause);
    }

    private void failAndClose(Channel channel, Throwable cause) {
      Exchange exchange = current;
      current = null;
      if (exchange != null) {
        exchange.fail(cause);
      }
      channel.close();
    }
  }
}
