package io.stateweave.flink.remote;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The end of an HTTP/1.1 connection's pipeline: one call at a time (no pipelining), written and
 * completed here; between calls the connection waits in its {@link OriginConnections}.
 */
final class Http1Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
  private final OriginConnections connections;
  private Channel channel;
  private HttpExchange current;

  /** When the connection last went back into the pool, by {@link System#nanoTime}. */
  long idleSince;

  Http1Connection(OriginConnections connections) {
    this.connections = connections;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    channel = context.channel();
  }

  Channel channel() {
    return channel;
  }

  void start(HttpExchange exchange) {
    exchange.channel = channel;
    current = exchange;
    channel
        .writeAndFlush(exchange.request())
        .addListener(
            written -> {
              if (!written.isSuccess()) {
                failAndClose(channel, written.cause());
              } else if (channel instanceof EpollSocketChannel epoll) {
                // Sending the request put the socket back into delayed-ACK mode; a server whose
                // answer comes in two writes under Nagle's algorithm (the JDK's) would wait about
                // 40 ms for the ACK of the first before sending the second.
                epoll.config().setTcpQuickAck(true);
              }
            });
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
    HttpExchange exchange = current;
    current = null;
    if (exchange == null) {
      // an answer nobody asked for: the connection cannot be trusted any more
      context.close();
      return;
    }
    exchange.respond(response.status().code(), response.content());
    if (HttpUtil.isKeepAlive(response) && context.channel().isActive()) {
      connections.release(this);
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
      HttpExchange exchange = current;
      current = null;
      if (exchange.mayGoAgain(false)) {
        // A server may close a kept-alive connection just as a call goes out on it (the JDK's
        // closes all but 200 idle ones): the call goes once more, on a new connection (another
        // kept-alive one may be closing too), without counting as a failed attempt.
        connections.tryAgain(exchange);
        return;
      }
      exchange.fail(
          new IOException("the connection to " + connections + " closed before the answer"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    failAndClose(context.channel(), cause);
  }

  private void failAndClose(Channel channel, Throwable cause) {
    HttpExchange exchange = current;
    current = null;
    if (exchange != null) {
      exchange.fail(cause);
    }
    channel.close();
  }
}
