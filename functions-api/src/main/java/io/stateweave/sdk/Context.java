package io.stateweave.sdk;

import com.google.protobuf.Message;
import java.time.Duration;
import java.util.Optional;

/**
 * What a function can do while it handles one message. Every operation of the StateFun SDKs'
 * context is here; the {@code pack…} forms take a protobuf message and pack it as {@code Any}.
 * Implementations provide the primitive operations; {@code reply} and the {@code pack…} forms are
 * defined on top of them, once for all.
 */
public interface Context {

  /** The address being invoked. */
  Address self();

  /** The function that sent the message, empty when it came from an ingress or a timer. */
  Optional<Address> caller();

  void send(Address target, TypedValue message);

  default void packAndSend(Address target, Message message) {
    send(target, TypedValue.pack(message));
  }

  /** Sends to the caller; an error when the message has no caller. */
  default void reply(TypedValue message) {
    Address caller =
        caller()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Function "
                            + self().type()
                            + " (id '"
                            + self().id()
                            + "') cannot reply: the message it handles had no caller (it came"
                            + " from an ingress)"));
    send(caller, message);
  }

  default void packAndReply(Message message) {
    reply(TypedValue.pack(message));
  }

  void sendAfter(Duration delay, Address target, TypedValue message);

  default void packAndSendAfter(Duration delay, Address target, Message message) {
    sendAfter(delay, target, TypedValue.pack(message));
  }

  /**
   * Sends after {@code delay}, unless cancelled before with {@link #cancelDelayedMessage} and the
   * same token. Tokens are scoped to the sending address.
   */
  void sendAfter(Duration delay, String cancellationToken, Address target, TypedValue message);

  /** Cancels a delayed message sent from this address; nothing happens if it is gone already. */
  void cancelDelayedMessage(String cancellationToken);

  void sendEgress(TypeName egress, TypedValue record);

  default void packAndSendEgress(TypeName egress, Message record) {
    sendEgress(egress, TypedValue.pack(record));
  }

  AddressScopedStorage storage();
}
