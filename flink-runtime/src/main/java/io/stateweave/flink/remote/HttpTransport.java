package io.stateweave.flink.remote;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.module.HttpEndpointSpec.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client of one dispatcher subtask. One event-loop thread does the I/O of every call, so
 * thousands of calls in flight cost no thread each (a blocking client parks a thread per call, and
 * on two cores the switching between them cost more than the calls). The connections to each
 * origin are its {@link OriginConnections}: kept-alive HTTP/1.1 connections, one call each at a
 * time, or one HTTP/2 connection carrying them all.
 *
 * <p>Everything but {@link #post} and {@link #close} runs on the event loop, so the connections
 * need no locks. A call's callback is invoked exactly once, on the event loop. On Linux the loop is
 * Netty's epoll transport, for TCP_QUICKACK (see {@link Http1Connection#start}); elsewhere NIO.
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
  private final Map<HttpTarget.Origin, OriginConnections> origins = new HashMap<>();
  private final Map<TlsSettings, SslContext> tlsContexts = new HashMap<>();

  /** What a TLS context is made of: the certificates, and the protocols offered in ALPN. */
  private record TlsSettings(HttpEndpointSpec.Tls certificates, Protocol protocol) {}

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
    HttpExchange exchange = new HttpExchange(target, body, callback);
    if (loop.inEventLoop()) {
      submit(exchange);
    } else {
      loop.execute(() -> submit(exchange));
    }
  }

  private void submit(HttpExchange exchange) {
    HttpTarget target = exchange.target;
    OriginConnections connections = origins.get(target.origin());
    if (connections == null) {
      try {
        SslContext tls = target.origin().tls() ? tls(target) : null;
        connections = new OriginConnections(target, loop, EPOLL, tls);
      } catch (IllegalArgumentException e) {
        // unreadable certificates: every call to the origin ends with why
        exchange.fail(e);
        return;
      }
      origins.put(target.origin(), connections);
    }
    exchange.startCallTimeout(loop, connections);
    connections.submit(exchange);
  }

  private void closeExpiredIdle() {
    long now = System.nanoTime();
    for (OriginConnections connections : origins.values()) {
      connections.closeIdleSince(now - connections.settings().idleTimeToLive().toNanos());
    }
  }

  private SslContext tls(HttpTarget target) {
    TlsSettings settings = new TlsSettings(target.tls(), target.pool().protocol());
    SslContext context = tlsContexts.get(settings);
    if (context == null) {
      context = buildTls(settings);
      tlsContexts.put(settings, context);
    }
    return context;
  }

  private static SslContext buildTls(TlsSettings settings) {
    HttpEndpointSpec.Tls tls = settings.certificates();
    SslContextBuilder builder = SslContextBuilder.forClient();
    if (settings.protocol() != Protocol.HTTP_1_1) {
      // HTTP/2 over TLS wants TLS 1.2 or later with its own cipher suites (RFC 9113, 9.2)
      builder
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(
              new ApplicationProtocolConfig(
                  ApplicationProtocolConfig.Protocol.ALPN,
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  settings.protocol() == Protocol.H2
                      ? new String[] {ApplicationProtocolNames.HTTP_2}
                      : new String[] {
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1
                      }));
    }
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
}
