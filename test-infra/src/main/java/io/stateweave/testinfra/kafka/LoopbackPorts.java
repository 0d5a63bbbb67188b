package io.stateweave.testinfra.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback address, for servers that tests start. */
final class LoopbackPorts {

  private LoopbackPorts() {}

  /**
   * {@code count} different ports that were free a moment ago on 127.0.0.1. All sockets are held
   * open together so that the same port cannot come back twice. The operating system hands out
   * ephemeral ports in turn, so another process taking one before the broker binds it is unlikely;
   * if it happens the broker fails to start and its log says so.
   */
  static int[] free(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on the loopback address", e);
    } finally {
      for (ServerSocket socket : sockets) {
        closeQuietly(socket);
      }
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // only probing: a socket that fails to close does not change the answer
    }
  }
}
