package org.apache.flink.statefun.sdk;

/**
 * Stands for the function interface of StateFun's 2.x embedded Java SDK, which is not a dependency:
 * Stateweave recognises its functions by this name, to refuse them naming what they are.
 */
public interface StatefulFunction {}
