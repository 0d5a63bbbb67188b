package io.stateweave.flink.api;

import java.io.Serializable;

/**
 * Turns an element of a program's stream into the message that enters the functions, as StateFun's
 * DataStream SDK did. It travels with the job, so it must be serializable (a lambda of a
 * serializable interface is).
 */
@FunctionalInterface
public interface Router<T> extends Serializable {
  RoutableMessage route(T element);
}
