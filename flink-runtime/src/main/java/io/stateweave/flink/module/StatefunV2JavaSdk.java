package io.stateweave.flink.module;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Recognises classes written against StateFun's 2.x embedded Java SDK, by the names of its
 * interfaces (the SDK is not on our classpath), so that binding one is refused naming what it is
 * rather than as just another class that is no function.
 */
final class StatefunV2JavaSdk {
  private StatefunV2JavaSdk() {}

  private static final List<String> INTERFACES =
      List.of(
          "org.apache.flink.statefun.sdk.StatefulFunction",
          "org.apache.flink.statefun.sdk.StatefulFunctionProvider",
          "org.apache.flink.statefun.sdk.spi.StatefulFunctionModule");

  /** The 2.x SDK interface the class implements, or null. */
  static String interfaceOf(Class<?> type) {
    Deque<Class<?>> toVisit = new ArrayDeque<>();
    toVisit.add(type);
    while (!toVisit.isEmpty()) {
      Class<?> next = toVisit.poll();
      if (INTERFACES.contains(next.getName())) {
        return next.getName();
      }
      toVisit.addAll(List.of(next.getInterfaces()));
      if (next.getSuperclass() != null) {
        toVisit.add(next.getSuperclass());
      }
    }
    return null;
  }
}
