package io.stateweave.sdk.reqreply;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.TypeName;
import org.apache.flink.statefun.sdk.java.slice.Slice;
import org.apache.flink.statefun.sdk.java.slice.Slices;

/**
 * The request-reply server with our handler and with the official Java SDK's handler, each serving
 * the same counter (one int state {@code count}, incremented, nothing sent), measured with requests
 * as the runtime sends them (the state included) over keep-alive connections from a Netty client.
 * Not a test: {@code main} prints one line per run; docs/benchmarks.md ("Request-reply server")
 * has the command and the results. {@link RequestReplyServerBenchmarkSmokeTest} runs it tiny.
 *
 * <p>Variants: {@code ours}, {@code official} (the functions on the server's function threads),
 * {@code ours-loop}, {@code official-loop} (on the event loop), {@code ours-jdk} (a server class
 * named by {@code --jdk-server-class} with {@code start(InetSocketAddress, String,
 * StatefulFunctions)}, {@code port()} and {@code close()}: the JDK-based server from git history).
 * Runs alternate between the variants (ABAB...) after one warm-up run of each.
 */
final class RequestReplyServerBenchmark {
  private static final String COUNTER = "bench/counter";
  private static final String SLOW = "bench/slow";
  private static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();
  private static final String PATH = "/statefun";
  private static final String SERVER_THREADS = "stateweave-reqreply";
  private static final String JDK_DISPATCHER_THREAD = "HTTP-Dispatcher";

  private final Options options;
  private final PrintStream out;
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private RequestReplyServerBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    new RequestReplyServerBenchmark(Options.parse(args), System.out).runAll();
  }

  static void run(String[] args, PrintStream out) throws Exception {
    new RequestReplyServerBenchmark(Options.parse(args), out).runAll();
  }

  private void runAll() throws Exception {
    out.println("# " + options);
    EventLoopGroup client =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("bench-client", true), NioIoHandler.newFactory());
    try {
      for (int batch : options.batches) {
        if (options.warmup) {
          for (String variant : options.variants) {
            runOnce(client, variant, batch, true);
          }
        }
      }
      for (int round = 0; round < options.rounds; round++) {
        for (int batch : options.batches) {
          for (String variant : options.variants) {
            runOnce(client, variant, batch, false);
          }
        }
      }
    } finally {
      client.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private void runOnce(EventLoopGroup client, String variant, int batch, boolean warmup)
      throws Exception {
    try (Server server = startServer(variant)) {
      List<byte[]> counterBodies = new ArrayList<>(options.addresses);
      for (int i = 0; i < options.addresses; i++) {
        Batches request = Batches.to(Address.of(COUNTER, "id-" + i)).state(COUNT, i);
        for (int m = 0; m < batch; m++) {
          request.message(TypedValue.of(1));
        }
        counterBodies.add(request.build().toByteArray());
      }
      byte[] slowBody =
          Batches.to(Address.of(SLOW, "slow")).message(TypedValue.of(1)).build().toByteArray();

      Load load = new Load(options.requests);
      List<Channel> channels = new ArrayList<>();
      List<Connection> fastConnections = new ArrayList<>();
      for (int c = 0; c < options.connections; c++) {
        boolean slow = options.slowMillis > 0 && c == 0;
        Connection connection =
            new Connection(load, slow ? List.of(slowBody) : counterBodies, slow, c * 7919);
        if (!slow) {
          fastConnections.add(connection);
        }
        channels.add(connect(client, server.port(), connection));
      }
      Map<Long, long[]> before = serverThreadCounters();
      long processCpuBefore = os.getProcessCpuTime();
      long start = System.nanoTime();
      for (Channel channel : channels) {
        channel.pipeline().get(Connection.class).sendNext(channel);
      }
      if (!load.done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("no end after 10 minutes");
      }
      long nanos = System.nanoTime() - start;
      long processCpu = os.getProcessCpuTime() - processCpuBefore;
      long[] used = usedSince(before);
      for (Channel channel : channels) {
        channel.close().syncUninterruptibly();
      }
      if (load.failure != null) {
        throw new IllegalStateException("a request failed: " + load.failure);
      }
      if (warmup) {
        return;
      }
      long invocations = (long) options.requests * batch;
      double seconds = nanos / 1e9;
      long[] latencies = Arrays.copyOf(load.latencyNanos, load.answered);
      Arrays.sort(latencies);
      out.printf(
          "variant=%s batch=%d requests=%d connections=%d seconds=%.3f requests_per_s=%.0f"
              + " invocations_per_s=%.0f server_cpu_us=%.2f process_cpu_us=%.2f alloc_b=%.0f"
              + " p50_us=%d p99_us=%d max_us=%d fewest_on_a_connection=%d load=%.1f%s%n",
          variant,
          batch,
          options.requests,
          options.connections,
          seconds,
          options.requests / seconds,
          invocations / seconds,
          used[0] / 1e3 / invocations,
          processCpu / 1e3 / invocations,
          (double) used[1] / invocations,
          latencies[latencies.length / 2] / 1000,
          latencies[(int) (latencies.length * 0.99)] / 1000,
          latencies[latencies.length - 1] / 1000,
          fastConnections.stream().mapToInt(connection -> connection.answered).min().orElse(0),
          os.getSystemLoadAverage(),
          options.slowMillis > 0
              ? " slow_ms=" + options.slowMillis + " slow_calls=" + load.slowAnswered
              : "");
    }
  }

  private Channel connect(EventLoopGroup client, int port, Connection connection) {
    return new Bootstrap()
        .group(client)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                channel
                    .pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(1 << 20))
                    .addLast(connection);
              }
            })
        .connect(InetAddress.getLoopbackAddress(), port)
        .syncUninterruptibly()
        .channel();
  }

  /** Thread id to {CPU ns, allocated bytes}, for the server's threads now alive. */
  private Map<Long, long[]> serverThreadCounters() {
    Map<Long, long[]> counters = new HashMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith(SERVER_THREADS)
              || info.getThreadName().startsWith(JDK_DISPATCHER_THREAD))) {
        long id = info.getThreadId();
        counters.put(
            id, new long[] {threads.getThreadCpuTime(id), threads.getThreadAllocatedBytes(id)});
      }
    }
    return counters;
  }

  /** {CPU ns, allocated bytes} of the server's threads since {@code before}; new threads from 0. */
  private long[] usedSince(Map<Long, long[]> before) {
    long[] used = new long[2];
    serverThreadCounters()
        .forEach(
            (id, now) -> {
              long[] then = before.getOrDefault(id, new long[2]);
              used[0] += now[0] - then[0];
              used[1] += now[1] - then[1];
            });
    return used;
  }

  private Server startServer(String variant) throws Exception {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    switch (variant) {
      case "ours":
        return Server.of(RequestReplyServer.start(address, PATH, ours()));
      case "ours-loop":
        return Server.of(
            RequestReplyServer.start(
                address,
                PATH,
                RequestReplyServer.serving(RequestReplyHandler.of(ours())),
                Runnable::run));
      case "official":
        return Server.of(
            RequestReplyServer.start(
                address, PATH, official(), RequestReplyServer.newFunctionThreads()));
      case "official-loop":
        return Server.of(RequestReplyServer.start(address, PATH, official(), Runnable::run));
      case "ours-jdk":
        return Server.reflective(options.jdkServerClass, address, ours());
      default:
        throw new IllegalArgumentException("unknown variant " + variant);
    }
  }

  private StatefulFunctions ours() {
    int slowMillis = options.slowMillis;
    return new StatefulFunctions()
        .bind(
            COUNTER,
            (context, message) ->
                context.storage().set(COUNT, context.storage().get(COUNT).orElse(0) + 1),
            COUNT)
        .bind(SLOW, (context, message) -> Thread.sleep(slowMillis));
  }

  private RequestReplyServer.ProtocolHandler official() {
    org.apache.flink.statefun.sdk.java.ValueSpec<Integer> count =
        org.apache.flink.statefun.sdk.java.ValueSpec.named("count").withIntType();
    org.apache.flink.statefun.sdk.java.StatefulFunction counter =
        (context, message) -> {
          context.storage().set(count, context.storage().get(count).orElse(0) + 1);
          return context.done();
        };
    int slowMillis = options.slowMillis;
    org.apache.flink.statefun.sdk.java.StatefulFunction slow =
        (context, message) -> {
          Thread.sleep(slowMillis);
          return CompletableFuture.completedFuture(null);
        };
    org.apache.flink.statefun.sdk.java.handler.RequestReplyHandler handler =
        new org.apache.flink.statefun.sdk.java.StatefulFunctions()
            .withStatefulFunction(
                StatefulFunctionSpec.builder(TypeName.typeNameFromString(COUNTER))
                    .withValueSpec(count)
                    .withSupplier(() -> counter))
            .withStatefulFunction(
                StatefulFunctionSpec.builder(TypeName.typeNameFromString(SLOW))
                    .withSupplier(() -> slow))
            .requestReplyHandler();
    return (request, allocator) -> {
      Slice answer = handler.handle(Slices.wrap(request.nioBuffer())).join();
      return Unpooled.wrappedBuffer(answer.asReadOnlyByteBuffer());
    };
  }

  /** The requests of one run, shared by its connections (all on the client's one event loop). */
  private static final class Load {
    final long[] latencyNanos;
    final CountDownLatch done = new CountDownLatch(1);
    int toSend;
    int answered;
    int slowAnswered;
    String failure;

    Load(int requests) {
      latencyNanos = new long[requests];
      toSend = requests;
    }
  }

  /**
   * One keep-alive connection, one request in flight, as the runtime's client does. Counter
   * requests go round the addresses; the slow connection's requests count neither as requests nor
   * in the latencies. The client is a closed loop: a connection held up sends fewer requests, so
   * its stalls hardly reach the latency quantiles; the fewest answers on a connection show them.
   */
  private static final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Load load;
    private final List<byte[]> bodies;
    private final boolean slow;
    private int next;
    private long sentAt;
    int answered;

    Connection(Load load, List<byte[]> bodies, boolean slow, int firstAddress) {
      this.load = load;
      this.bodies = bodies;
      this.slow = slow;
      this.next = firstAddress;
    }

    void sendNext(Channel channel) {
      channel.eventLoop().execute(() -> send(channel));
    }

    private void send(Channel channel) {
      if (!slow) {
        if (load.toSend == 0) {
          return;
        }
        load.toSend--;
      } else if (load.done.getCount() == 0) {
        return;
      }
      byte[] body = bodies.get(next++ % bodies.size());
      FullHttpRequest request =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.POST, PATH, Unpooled.wrappedBuffer(body));
      request.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
      request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
      request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      sentAt = System.nanoTime();
      channel.writeAndFlush(request);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
      if (response.status().code() != 200) {
        ByteBuf content = response.content();
        load.failure = response.status() + " " + content.toString(StandardCharsets.UTF_8);
        load.done.countDown();
        return;
      }
      if (slow) {
        load.slowAnswered++;
      } else {
        load.latencyNanos[load.answered++] = System.nanoTime() - sentAt;
        answered++;
        if (load.answered == load.latencyNanos.length) {
          load.done.countDown();
        }
      }
      send(context.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      load.failure = String.valueOf(cause);
      load.done.countDown();
      context.close();
    }
  }

  /** A server under test, whichever class it is. */
  private interface Server extends AutoCloseable {
    int port();

    @Override
    void close() throws Exception;

    static Server of(RequestReplyServer server) {
      return new Server() {
        @Override
        public int port() {
          return server.port();
        }

        @Override
        public void close() {
          server.close();
        }
      };
    }

    static Server reflective(String className, InetSocketAddress address, StatefulFunctions fns)
        throws Exception {
      if (className == null) {
        throw new IllegalArgumentException("ours-jdk needs --jdk-server-class");
      }
      Class<?> type = Class.forName(className);
      Object server =
          type.getMethod("start", InetSocketAddress.class, String.class, StatefulFunctions.class)
              .invoke(null, address, PATH, fns);
      Method port = type.getMethod("port");
      Method close = type.getMethod("close");
      return new Server() {
        @Override
        public int port() {
          try {
            return (int) port.invoke(server);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public void close() throws Exception {
          close.invoke(server);
        }
      };
    }
  }

  private static final class Options {
    List<String> variants = List.of("ours", "official");
    int[] batches = {1, 10};
    int requests = 40_000;
    int rounds = 3;
    int connections = 8;
    int addresses = 1_000;
    int slowMillis;
    boolean warmup = true;
    String jdkServerClass;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (name.equals("--no-warmup")) {
          options.warmup = false;
          continue;
        }
        if (i + 1 == args.length) {
          throw new IllegalArgumentException("Missing value after " + name);
        }
        String value = args[++i];
        switch (name) {
          case "--variants" -> options.variants = List.of(value.split(","));
          case "--batches" ->
              options.batches =
                  Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
          case "--requests" -> options.requests = positive(name, value);
          case "--rounds" -> options.rounds = positive(name, value);
          case "--connections" -> options.connections = positive(name, value);
          case "--addresses" -> options.addresses = positive(name, value);
          case "--slow-ms" -> options.slowMillis = Integer.parseInt(value);
          case "--jdk-server-class" -> options.jdkServerClass = value;
          default -> throw new IllegalArgumentException("Unknown option " + name);
        }
      }
      if (options.slowMillis > 0 && options.connections < 2) {
        throw new IllegalArgumentException("--slow-ms needs at least 2 connections");
      }
      return options;
    }

    private static int positive(String name, String value) {
      int number = Integer.parseInt(value);
      if (number <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return number;
    }

    @Override
    public String toString() {
      return "variants="
          + variants
          + " batches="
          + Arrays.toString(batches)
          + " requests="
          + requests
          + " rounds="
          + rounds
          + " connections="
          + connections
          + " addresses="
          + addresses
          + " slow_ms="
          + slowMillis
          + " warmup="
          + warmup
          + " cores="
          + Runtime.getRuntime().availableProcessors()
          + " java="
          + System.getProperty("java.version")
          + " started="
          + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
  }
}
