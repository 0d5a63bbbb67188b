package io.stateweave.sdk;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the function type of a {@link StatefulFunction} class, the Java counterpart of the SDKs'
 * {@code @functions.bind("ns/name")} decorator; read by {@link StatefulFunctions#register}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FunctionType {
  /** {@code namespace/name}. */
  String value();
}
