package io.stateweave.sdk.testing;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.AddressScopedStorage;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.FunctionBinding;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs stateful functions in memory, without Flink, with the runtime's semantics for messaging,
 * delayed messages and state:
 *
 * <pre>{@code
 * FunctionTestHarness harness = FunctionTestHarness.forFunctions(functions);
 * harness.invoke(Address.of("example/hello", "user1"), TypedValue.pack(user));
 * assertThat(harness.egress(GREETINGS)).containsExactly(TypedValue.of("Hello Seth"));
 * }</pre>
 *
 * <p>Nothing is delivered on its own: messages functions send wait in {@link #sent()} until {@link
 * #deliverSent()}, and delayed messages wait in {@link #delayed()} until {@link #advanceTime} makes
 * them due. The clock starts at {@link Instant#EPOCH} and moves only with {@link #advanceTime}. Not
 * thread-safe.
 *
 * <p>An exception thrown by a function reaches the caller of {@link #invoke} or {@link
 * #deliverSent()} as it is when unchecked, wrapped when checked; what the function did before
 * throwing stays recorded.
 */
public final class FunctionTestHarness {
  /** Bounds {@link #deliverSent()}, so that functions messaging each other forever fail a test. */
  static final int MAX_DELIVERIES = 100_000;

  private final Map<TypeName, StatefulFunction> functions = new LinkedHashMap<>();
  private final StateStore state;

  private Instant now = Instant.EPOCH;
  private final List<SentMessage> sent = new ArrayList<>();

  /** Ordered by due time; messages due at the same time stay in send order. */
  private final List<DelayedMessage> delayed = new ArrayList<>();

  private final Map<TypeName, List<TypedValue>> egress = new LinkedHashMap<>();

  private FunctionTestHarness(StatefulFunctions statefulFunctions) {
    Map<TypeName, FunctionBinding> bindings = statefulFunctions.bindings();
    bindings.forEach((type, binding) -> functions.put(type, binding.function()));
    this.state = new StateStore(bindings, () -> now);
  }

  /** A harness running every function bound in {@code functions}. */
  public static FunctionTestHarness forFunctions(StatefulFunctions functions) {
    return new FunctionTestHarness(Objects.requireNonNull(functions, "functions"));
  }

  /** A harness running one function, bound to {@code functionType} with the given state. */
  public static FunctionTestHarness forFunction(
      String functionType, StatefulFunction function, ValueSpec<?>... specs) {
    return forFunctions(new StatefulFunctions().bind(functionType, function, specs));
  }

  /**
   * Invokes the function at {@code target} with a message that has no caller, as from an ingress.
   */
  public void invoke(Address target, TypedValue message) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(message, "message");
    call(target, null, message);
  }

  /** Invokes the function at {@code target} with a message sent by {@code caller}. */
  public void invoke(Address target, Address caller, TypedValue message) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(message, "message");
    call(target, caller, message);
  }

  /**
   * Delivers every sent message whose target type is bound, first sent first, including the
   * messages those deliveries send in turn. Messages to unbound types stay in {@link #sent()}.
   *
   * @return how many messages were delivered
   * @throws IllegalStateException when more than {@value #MAX_DELIVERIES} deliveries would be
   *     needed
   */
  public int deliverSent() {
    int delivered = 0;
    int next = 0;
    while (next < sent.size()) {
      SentMessage message = sent.get(next);
      if (!functions.containsKey(message.target().type())) {
        next++;
        continue;
      }
      if (delivered == MAX_DELIVERIES) {
        throw new IllegalStateException(
            "deliverSent() stopped after "
                + MAX_DELIVERIES
                + " deliveries with messages still to deliver: do the functions message each"
                + " other in a loop? Next: "
                + message);
      }
      sent.remove(next);
      call(message.target(), message.caller(), message.value());
      delivered++;
    }
    return delivered;
  }

  /**
   * Moves the clock forward; delayed messages that become due move, in due order, from {@link
   * #delayed()} to the end of {@link #sent()}, with their sender as caller.
   */
  public void advanceTime(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("The clock cannot go back: advanceTime(" + duration + ")");
    }
    now = now.plus(duration);
    for (Iterator<DelayedMessage> it = delayed.iterator(); it.hasNext(); ) {
      DelayedMessage message = it.next();
      if (message.dueAt().isAfter(now)) {
        break;
      }
      it.remove();
      sent.add(new SentMessage(message.target(), message.sender(), message.value()));
    }
  }

  /** The harness clock: {@link Instant#EPOCH} plus every {@link #advanceTime} so far. */
  public Instant now() {
    return now;
  }

  /** Messages sent to functions and not delivered yet, in send order. */
  public List<SentMessage> sent() {
    return List.copyOf(sent);
  }

  /** Delayed messages not due yet, in due order. */
  public List<DelayedMessage> delayed() {
    return List.copyOf(delayed);
  }

  /** The records sent to {@code egressId}, in send order. */
  public List<TypedValue> egress(TypeName egressId) {
    Objects.requireNonNull(egressId, "egressId");
    return List.copyOf(egress.getOrDefault(egressId, List.of()));
  }

  /**
   * Forgets the sent messages and egress records. Pending delayed messages are kept: like timers in
   * the runtime they are not output yet, and still arrive when due.
   */
  public void clearOutputs() {
    sent.clear();
    egress.clear();
  }

  /** The state value of {@code address}, empty when never set, removed or expired. */
  public <T> Optional<T> state(Address address, ValueSpec<T> spec) {
    return state.get(bound(address), spec, false);
  }

  /** Sets a state value, as if the function at {@code address} wrote it now. */
  public <T> void setState(Address address, ValueSpec<T> spec, T value) {
    state.set(bound(address), spec, value);
  }

  private Address bound(Address address) {
    Objects.requireNonNull(address, "address");
    function(address.type());
    return address;
  }

  private StatefulFunction function(TypeName type) {
    StatefulFunction function = functions.get(type);
    if (function == null) {
      throw new IllegalArgumentException(
          "No function is bound to type " + type + "; bound types: " + functions.keySet());
    }
    return function;
  }

  private void call(Address target, Address caller, TypedValue message) {
    StatefulFunction function = function(target.type());
    state.invoked(target);
    try {
      function.invoke(new InvocationContext(target, caller), new Message(message));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new RuntimeException(
          "Function "
              + target.type()
              + " (id '"
              + target.id()
              + "') failed on a message of type "
              + message.typeName(),
          e);
    }
  }

  private void schedule(
      Address sender, Duration delay, String cancellationToken, Address target, TypedValue value) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(value, "message");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("A delay must not be negative, got " + delay);
    }
    if (cancellationToken != null) {
      if (cancellationToken.isEmpty()) {
        throw new IllegalArgumentException("A cancellation token must not be empty");
      }
      for (DelayedMessage pending : delayed) {
        if (isFrom(pending, sender, cancellationToken)) {
          throw new IllegalArgumentException(
              "Cancellation token '"
                  + cancellationToken
                  + "' is already used by a pending delayed message sent from "
                  + sender);
        }
      }
    }
    DelayedMessage message =
        new DelayedMessage(target, sender, value, delay, now.plus(delay), cancellationToken);
    int position = delayed.size();
    while (position > 0 && delayed.get(position - 1).dueAt().isAfter(message.dueAt())) {
      position--;
    }
    delayed.add(position, message);
  }

  private static boolean isFrom(DelayedMessage message, Address sender, String token) {
    return message.sender().equals(sender)
        && message.cancellationToken().filter(token::equals).isPresent();
  }

  private final class InvocationContext implements Context {
    private final Address self;
    private final Address caller;

    InvocationContext(Address self, Address caller) {
      this.self = self;
      this.caller = caller;
    }

    @Override
    public Address self() {
      return self;
    }

    @Override
    public Optional<Address> caller() {
      return Optional.ofNullable(caller);
    }

    @Override
    public void send(Address target, TypedValue message) {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(message, "message");
      sent.add(new SentMessage(target, self, message));
    }

    @Override
    public void sendAfter(Duration delay, Address target, TypedValue message) {
      schedule(self, delay, null, target, message);
    }

    @Override
    public void sendAfter(
        Duration delay, String cancellationToken, Address target, TypedValue message) {
      schedule(
          self,
          delay,
          Objects.requireNonNull(cancellationToken, "cancellationToken"),
          target,
          message);
    }

    @Override
    public void cancelDelayedMessage(String cancellationToken) {
      Objects.requireNonNull(cancellationToken, "cancellationToken");
      delayed.removeIf(pending -> isFrom(pending, self, cancellationToken));
    }

    @Override
    public void sendEgress(TypeName egressId, TypedValue record) {
      Objects.requireNonNull(egressId, "egress");
      Objects.requireNonNull(record, "record");
      egress.computeIfAbsent(egressId, ignored -> new ArrayList<>()).add(record);
    }

    @Override
    public AddressScopedStorage storage() {
      return state.storageOf(self);
    }
  }
}
