package io.stateweave.sdk.reqreply;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a {@link RequestReplyHandler} over HTTP with Netty: a POST to the path (or below it, so
 * that {@code urlPathTemplate}s like {@code /statefun/{function.name}} work) carries a {@code
 * ToFunction} and is answered with a {@code FromFunction}. As with the official SDKs the target
 * function comes from the request body, not from the path. A request that fails is answered with
 * 500 and a plain-text message; the runtime retries it. Other paths are 404, other methods 405.
 *
 * <pre>{@code
 * try (RequestReplyServer server =
 *     RequestReplyServer.start(new InetSocketAddress(8000), "/statefun", functions)) { ... }
 * }</pre>
 *
 * <p>Connections are kept alive and read by an event loop. The functions run on a small pool of
 * their own threads, not on the event loop: measured, the hand-over costs some microseconds of CPU
 * per request, while a function that blocks on the event loop holds up every connection sharing
 * that loop (docs/benchmarks.md, "Request-reply server"). Each connection has at most one request
 * in a function thread at a time and reads the next only once it is answered: pipelined requests
 * are answered in order, and the pool's queue is bounded by the number of connections.
 *
 * <p>From the command line: {@code java -cp ... io.stateweave.sdk.reqreply.RequestReplyServer
 * --port 8000 --provider com.example.MyFunctions}; see {@link #main}.
 */
public final class RequestReplyServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RequestReplyServer.class.getName());

  /**
   * The largest request body: a batch of {@code maxNumBatchRequests} (default 1,000) messages with
   * their address's state is far below it; a larger request is answered with 413.
   */
  static final int MAX_REQUEST_BYTES = 64 * 1024 * 1024;

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String PROTOBUF = "application/octet-stream";

  private final EventLoopGroup eventLoops;
  private final Channel listening;
  private final Executor functionThreads;
  private final String path;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RequestReplyServer(
      EventLoopGroup eventLoops, Channel listening, Executor functionThreads, String path) {
    this.eventLoops = eventLoops;
    this.listening = listening;
    this.functionThreads = functionThreads;
    this.path = path;
  }

  /**
   * Starts serving the functions bound in {@code functions} on {@code address} (port 0 picks a free
   * port, see {@link #port()}) under {@code path}, which starts with a slash.
   */
  public static RequestReplyServer start(
      InetSocketAddress address, String path, StatefulFunctions functions) {
    requireAbsolute(path);
    return start(address, path, serving(RequestReplyHandler.of(functions)), newFunctionThreads());
  }

  /**
   * Serves {@code protocol} with its calls run by {@code functionThreads}, which the server shuts
   * down on {@link #close()} when it is an {@link ExecutorService}.
   */
  static RequestReplyServer start(
      InetSocketAddress address,
      String path,
      ProtocolHandler protocol,
      Executor functionThreads) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(functionThreads, "functionThreads");
    requireAbsolute(path);
    EventLoopGroup eventLoops =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            new DefaultThreadFactory("stateweave-reqreply-io", true), // daemons, as below
            NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(eventLoops)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // reads are asked for one request at a time, see Exchanges
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpServerKeepAliveHandler())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast(new FlowControlHandler())
                        .addLast(new Exchanges(path, protocol, functionThreads));
                  }
                });
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDown(eventLoops, functionThreads);
      Throwable cause = bound.cause();
      IOException reason =
          cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
      throw new UncheckedIOException(
          "Cannot listen on " + address + ": " + reason.getMessage(), reason);
    }
    return new RequestReplyServer(eventLoops, bound.channel(), functionThreads, path);
  }

  private static void requireAbsolute(String path) {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("The path must start with '/', got '" + path + "'");
    }
  }

  /** The port it listens on, also when it was started with port 0. */
  public int port() {
    return ((InetSocketAddress) listening.localAddress()).getPort();
  }

  public String path() {
    return path;
  }

  /**
   * Stops at once: requests being handled are cut off, as the runtime retries them anyway. Closing
   * again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    listening.close().syncUninterruptibly();
    shutDown(eventLoops, functionThreads);
  }

  private static void shutDown(EventLoopGroup eventLoops, Executor functionThreads) {
    eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    if (functionThreads instanceof ExecutorService pool) {
      pool.shutdownNow();
    }
  }

  /**
   * {@code --provider <class>} (required: a {@link StatefulFunctionsProvider} with a public
   * no-argument constructor), {@code --port <port>} (default 8000), {@code --host <address>}
   * (default all interfaces), {@code --path <path>} (default {@code /}). Runs until the JVM is
   * stopped.
   */
  public static void main(String[] args) throws InterruptedException {
    ServerOptions options;
    try {
      options = ServerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(ServerOptions.USAGE);
      System.exit(2);
      return;
    }
    StatefulFunctions functions = instantiate(options.provider()).functions();
    RequestReplyServer server =
        start(new InetSocketAddress(options.host(), options.port()), options.path(), functions);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    System.out.println(
        "Serving "
            + functions.bindings().keySet()
            + " on http://"
            + options.host()
            + ":"
            + server.port()
            + options.path());
    stopped.await();
  }

  private static StatefulFunctionsProvider instantiate(String className) {
    Object provider;
    try {
      provider = Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(
          "Cannot create the provider "
              + className
              + " (is it on the class path, with a public no-argument constructor?): "
              + e,
          e);
    }
    if (!(provider instanceof StatefulFunctionsProvider)) {
      throw new IllegalArgumentException(
          className + " does not implement " + StatefulFunctionsProvider.class.getName());
    }
    return (StatefulFunctionsProvider) provider;
  }

  /**
   * Parses the {@code ToFunction} straight from the request's buffer and serializes the {@code
   * FromFunction} straight into the response's.
   */
  private static ByteBuf answer(
      RequestReplyHandler handler, ByteBuf request, ByteBufAllocator allocator) {
    int size = request.readableBytes();
    CodedInputStream in =
        request.nioBufferCount() == 1
            ? CodedInputStream.newInstance(request.nioBuffer())
            : CodedInputStream.newInstance(new ByteBufInputStream(request));
    FromFunction answer = handler.handle(in, size);
    int answerSize = answer.getSerializedSize();
    ByteBuf response = allocator.buffer(answerSize, answerSize);
    try {
      CodedOutputStream out =
          CodedOutputStream.newInstance(response.nioBuffer(response.writerIndex(), answerSize));
      answer.writeTo(out);
      out.flush();
      response.writerIndex(response.writerIndex() + answerSize);
      return response;
    } catch (IOException | RuntimeException e) {
      response.release();
      throw new RequestReplyException("Cannot serialize the answer: " + e, e);
    }
  }

  /** Our handler on buffers: see {@link #answer}. */
  static ProtocolHandler serving(RequestReplyHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return (request, allocator) -> answer(handler, request, allocator);
  }

  /**
   * Functions are mostly CPU-bound, but may block; a few threads beyond the cores are cheap. Daemon
   * threads, so that a server that was never closed does not keep a JVM alive.
   */
  static ExecutorService newFunctionThreads() {
    return Executors.newFixedThreadPool(
        Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("stateweave-reqreply", true));
  }

  /** The request-reply protocol on bytes: a {@code ToFunction}'s in, a {@code FromFunction}'s out. */
  @FunctionalInterface
  interface ProtocolHandler {
    /**
     * Answers {@code request}, which is released after the call; the answer is released once sent.
     */
    ByteBuf answer(ByteBuf request, ByteBufAllocator allocator);
  }

  /**
   * The HTTP exchanges of one connection. Auto-read is off: the connection reads when it becomes
   * active and again after each response is written; the {@link FlowControlHandler} before this
   * handler passes on one request per read, so requests that arrived together wait there. It
   * forgets a read that a read cycle did not satisfy (one that brought only a part of a request),
   * so while a request is awaited every read cycle ends with another read.
   */
  private static final class Exchanges extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String path;
    private final String below;
    private final ProtocolHandler protocol;
    private final Executor functionThreads;
    // only touched on the connection's event loop
    private boolean awaitingRequest;

    Exchanges(String path, ProtocolHandler protocol, Executor functionThreads) {
      this.path = path;
      this.below = path.endsWith("/") ? path : path + "/";
      this.protocol = protocol;
      this.functionThreads = functionThreads;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
      readNext(context);
      context.fireChannelActive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
      if (awaitingRequest) {
        context.read();
      }
      context.fireChannelReadComplete();
    }

    private void readNext(ChannelHandlerContext context) {
      awaitingRequest = true;
      context.read();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
      awaitingRequest = false;
      if (request.decoderResult().isFailure()) {
        FullHttpResponse response =
            text(
                context,
                HttpResponseStatus.BAD_REQUEST,
                String.valueOf(request.decoderResult().cause()));
        context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (!serves(new QueryStringDecoder(request.uri()).path())) {
        respond(
            context,
            text(context, HttpResponseStatus.NOT_FOUND, "Nothing is served at " + request.uri()));
        return;
      }
      if (!HttpMethod.POST.equals(request.method())) {
        FullHttpResponse response =
            text(context, HttpResponseStatus.METHOD_NOT_ALLOWED, "Only POST is served here");
        response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.POST.name());
        respond(context, response);
        return;
      }
      request.retain();
      try {
        functionThreads.execute(
            () -> {
              FullHttpResponse response;
              try {
                response = call(context, request);
              } catch (Error e) {
                // no answer: the client sees the connection close and retries
                context.close();
                throw e;
              }
              if (context.executor().isShuttingDown()) {
                // the server closed while the function ran: the connection is gone
                response.release();
                return;
              }
              try {
                respond(context, response);
              } catch (RejectedExecutionException e) {
                // closed just now
              }
            });
      } catch (RejectedExecutionException e) {
        // the server is closing
        request.release();
        context.close();
      }
    }

    private FullHttpResponse call(ChannelHandlerContext context, FullHttpRequest request) {
      try {
        ByteBuf answer = protocol.answer(request.content(), context.alloc());
        FullHttpResponse response =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, answer);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, PROTOBUF);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.readableBytes());
        return response;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Request to " + request.uri() + " failed", e);
        return text(context, HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage());
      } finally {
        request.release();
      }
    }

    private boolean serves(String requestPath) {
      return requestPath.equals(path) || requestPath.startsWith(below);
    }

    /** Writes the response, then reads the connection's next request. */
    private void respond(ChannelHandlerContext context, FullHttpResponse response) {
      context
          .writeAndFlush(response)
          .addListener(
              (ChannelFuture written) -> {
                if (written.isSuccess()) {
                  readNext(context);
                } else {
                  context.close();
                }
              });
    }

    private static FullHttpResponse text(
        ChannelHandlerContext context, HttpResponseStatus status, String message) {
      ByteBuf body = ByteBufUtil.writeUtf8(context.alloc(), String.valueOf(message));
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      LOG.log(Level.DEBUG, "Connection " + context.channel() + " failed; closing it", cause);
      context.close();
    }
  }
}
