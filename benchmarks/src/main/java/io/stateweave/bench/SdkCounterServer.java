package io.stateweave.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.apache.flink.statefun.sdk.java.Context;
import org.apache.flink.statefun.sdk.java.StatefulFunction;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.TypeName;
import org.apache.flink.statefun.sdk.java.ValueSpec;
import org.apache.flink.statefun.sdk.java.handler.RequestReplyHandler;
import org.apache.flink.statefun.sdk.java.message.Message;
import org.apache.flink.statefun.sdk.java.slice.Slice;
import org.apache.flink.statefun.sdk.java.slice.Slices;

/**
 * remote-sdk's function server, a process of its own: a counter with one int state, written with
 * the official StateFun Java SDK 3.3.0 and served as its docs show, by the JDK's HTTP server with 4
 * threads on loopback. It writes its port to the file named by its argument once it listens; the
 * benchmark reads its CPU time from /proc.
 */
public final class SdkCounterServer {
  static final String TYPE = "bench/sdk-counter";
  private static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();

  private SdkCounterServer() {}

  public static void main(String[] args) throws IOException {
    StatefulFunctions functions =
        new StatefulFunctions()
            .withStatefulFunction(
                StatefulFunctionSpec.builder(TypeName.typeNameFromString(TYPE))
                    .withValueSpec(COUNT)
                    .withSupplier(Counter::new));
    RequestReplyHandler handler = functions.requestReplyHandler();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Slice answer =
                handler.handle(Slices.wrap(exchange.getRequestBody().readAllBytes())).join();
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, answer.readableBytes());
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer.toByteArray());
            }
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    Path portFile = Path.of(args[0]);
    Path written = Files.writeString(portFile.resolveSibling(portFile.getFileName() + ".tmp"),
        String.valueOf(server.getAddress().getPort()));
    Files.move(written, portFile);
  }

  private static final class Counter implements StatefulFunction {
    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
      context.storage().set(COUNT, context.storage().get(COUNT).orElse(0) + message.asInt());
      return context.done();
    }
  }
}
