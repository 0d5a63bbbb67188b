package io.stateweave.sdk.reqreply;

/** The command line of {@link RequestReplyServer#main}. */
final class ServerOptions {
  static final String USAGE =
      "Usage: java -cp <class path> io.stateweave.sdk.reqreply.RequestReplyServer"
          + " --provider <StatefulFunctionsProvider class> [--port 8000] [--host 0.0.0.0]"
          + " [--path /]";

  private String provider;
  private int port = 8000;
  private String host = "0.0.0.0";
  private String path = "/";

  private ServerOptions() {}

  /** Throws {@link IllegalArgumentException} with a message for the user on bad arguments. */
  static ServerOptions parse(String[] args) {
    ServerOptions options = new ServerOptions();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("Missing value after " + name);
      }
      String value = args[i + 1];
      switch (name) {
        case "--provider":
          options.provider = value;
          break;
        case "--port":
          options.port = port(value);
          break;
        case "--host":
          options.host = value;
          break;
        case "--path":
          if (!value.startsWith("/")) {
            throw new IllegalArgumentException("--path must start with '/', got '" + value + "'");
          }
          options.path = value;
          break;
        default:
          throw new IllegalArgumentException("Unknown option " + name);
      }
    }
    if (options.provider == null) {
      throw new IllegalArgumentException("--provider is required");
    }
    return options;
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(
        "--port must be a number from 0 to 65535, got '" + value + "'");
  }

  String provider() {
    return provider;
  }

  int port() {
    return port;
  }

  String host() {
    return host;
  }

  String path() {
    return path;
  }
}
