package io.stateweave.bench;

import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.reqreply.RequestReplyServer;
import java.net.InetSocketAddress;

/**
 * remote: the count function served over HTTP on loopback by the project's own {@link
 * RequestReplyServer}, in the benchmark's JVM (so it counts its invocations in the {@link Probe}).
 * It declares its state, so only an address's first call comes back asking for it.
 */
final class RemoteCount {
  static final TypeName TYPE = TypeName.parse("bench/remote-count");

  private RemoteCount() {}

  /** Serves the counter on a free loopback port; the caller closes it. */
  static RequestReplyServer serve() {
    StatefulFunctions functions =
        new StatefulFunctions().bind(TYPE.canonical(), new CountFunction(), CountFunction.COUNT);
    return RequestReplyServer.start(new InetSocketAddress("127.0.0.1", 0), "/", functions);
  }

  /** The module's endpoint, as a user would write it; {@code {function.name}} is not needed. */
  static String endpointYaml(RequestReplyServer server) {
    return """
           kind: io.statefun.endpoints.v2/http
           spec:
             functions: %s
             urlPathTemplate: http://127.0.0.1:%d/
           """
        .formatted(TYPE.canonical(), server.port());
  }
}
