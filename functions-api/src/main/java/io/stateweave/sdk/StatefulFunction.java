package io.stateweave.sdk;

/**
 * A stateful function: called once per message, for one address at a time. One instance serves all
 * addresses of its type, so keep per-address data in {@link Context#storage()}, not in fields.
 */
@FunctionalInterface
public interface StatefulFunction {

  void invoke(Context context, Message message) throws Exception;
}
