package io.stateweave.sdk.testing;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.AddressScopedStorage;
import io.stateweave.sdk.Expiration;
import io.stateweave.sdk.FunctionBinding;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.ValueSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state of every address in a harness. Values are kept serialized, as the runtime keeps them,
 * so a function that mutates an object it read does not change its state behind the runtime's back,
 * and a type that cannot round-trip its values fails here already.
 */
final class StateStore {
  private final Supplier<Instant> clock;

  /** Per function type, the spec each state name was declared or first used with. */
  private final Map<TypeName, Map<String, ValueSpec<?>>> specs = new HashMap<>();

  private final Map<Address, AddressState> addresses = new HashMap<>();

  StateStore(Map<TypeName, FunctionBinding> bindings, Supplier<Instant> clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    for (FunctionBinding binding : bindings.values()) {
      Map<String, ValueSpec<?>> declared = new HashMap<>();
      binding.valueSpecs().forEach(spec -> declared.put(spec.name(), spec));
      specs.put(binding.type(), declared);
    }
  }

  AddressScopedStorage storageOf(Address address) {
    return new Storage(address);
  }

  /**
   * Marks {@code address} as invoked now. Values that expired before this invocation stay expired:
   * an invocation refreshes only what is still alive.
   */
  void invoked(Address address) {
    AddressState state = addresses.computeIfAbsent(address, ignored -> new AddressState());
    Instant now = clock.get();
    state.values.values().removeIf(value -> value.isExpired(state.lastInvokedAt, now));
    state.lastInvokedAt = now;
  }

  <T> Optional<T> get(Address address, ValueSpec<T> spec, boolean registerSpec) {
    checkSpec(address.type(), spec, registerSpec);
    AddressState state = addresses.get(address);
    if (state == null) {
      return Optional.empty();
    }
    StoredValue stored = state.values.get(spec.name());
    if (stored == null) {
      return Optional.empty();
    }
    if (stored.isExpired(state.lastInvokedAt, clock.get())) {
      state.values.remove(spec.name());
      return Optional.empty();
    }
    return Optional.of(spec.type().deserialize(stored.bytes));
  }

  <T> void set(Address address, ValueSpec<T> spec, T value) {
    checkSpec(address.type(), spec, true);
    if (value == null) {
      throw new NullPointerException(
          "Cannot set state '"
              + spec.name()
              + "' of function "
              + address.type()
              + " (id '"
              + address.id()
              + "') to null: remove it instead");
    }
    byte[] bytes = spec.type().serialize(value);
    addresses
        .computeIfAbsent(address, ignored -> new AddressState())
        .values
        .put(spec.name(), new StoredValue(bytes, clock.get(), spec.expiration()));
  }

  void remove(Address address, ValueSpec<?> spec) {
    checkSpec(address.type(), spec, true);
    AddressState state = addresses.get(address);
    if (state != null) {
      state.values.remove(spec.name());
    }
  }

  /**
   * A state name means one type and one expiration within a function type, whether the spec was
   * declared at bind time or is used on the fly; the runtime registers it once and cannot serve two
   * meanings of it.
   */
  private void checkSpec(TypeName functionType, ValueSpec<?> spec, boolean register) {
    Objects.requireNonNull(spec, "spec");
    Map<String, ValueSpec<?>> known =
        specs.computeIfAbsent(functionType, ignored -> new HashMap<>());
    ValueSpec<?> registered = known.get(spec.name());
    if (registered == null) {
      if (register) {
        known.put(spec.name(), spec);
      }
    } else {
      registered.requireSameState(functionType, spec);
    }
  }

  private final class Storage implements AddressScopedStorage {
    private final Address address;

    Storage(Address address) {
      this.address = address;
    }

    @Override
    public <T> Optional<T> get(ValueSpec<T> spec) {
      return StateStore.this.get(address, spec, true);
    }

    @Override
    public <T> void set(ValueSpec<T> spec, T value) {
      StateStore.this.set(address, spec, value);
    }

    @Override
    public void remove(ValueSpec<?> spec) {
      StateStore.this.remove(address, spec);
    }
  }

  private static final class AddressState {
    private final Map<String, StoredValue> values = new HashMap<>();
    private Instant lastInvokedAt;
  }

  private static final class StoredValue {
    private final byte[] bytes;
    private final Instant writtenAt;
    private final Expiration expiration;

    StoredValue(byte[] bytes, Instant writtenAt, Expiration expiration) {
      this.bytes = bytes;
      this.writtenAt = writtenAt;
      this.expiration = expiration;
    }

    /** Expired once the clock reaches the expiry time, as Flink's state TTL counts it. */
    boolean isExpired(Instant lastInvokedAt, Instant now) {
      switch (expiration.mode()) {
        case AFTER_WRITE:
          return !now.isBefore(writtenAt.plus(expiration.duration()));
        case AFTER_INVOKE:
          Instant lastTouched =
              lastInvokedAt != null && lastInvokedAt.isAfter(writtenAt) ? lastInvokedAt : writtenAt;
          return !now.isBefore(lastTouched.plus(expiration.duration()));
        default:
          return false;
      }
    }
  }
}
