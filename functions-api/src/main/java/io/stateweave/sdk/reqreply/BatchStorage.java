package io.stateweave.sdk.reqreply;

import com.google.protobuf.ByteString;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.AddressScopedStorage;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueMutation;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueMutation.MutationType;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import io.stateweave.sdk.reqreply.generated.TypedValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The declared state of one address for one batch: starts from the values in the request, carries
 * changes from one invocation of the batch to the next, and yields a mutation for every state that
 * was set or removed. Values are kept serialized so that a function changing an object it read does
 * not change the state behind our back, as in the test harness.
 */
final class BatchStorage implements AddressScopedStorage {
  private final Address self;
  private final Map<String, Cell> cells = new LinkedHashMap<>();

  /** Callers make sure that {@code values} has an entry for every declared spec. */
  BatchStorage(
      Address self, List<ValueSpec<?>> declared, Map<String, ToFunction.PersistedValue> values) {
    this.self = self;
    for (ValueSpec<?> spec : declared) {
      TypedValue value = values.get(spec.name()).getStateValue();
      cells.put(spec.name(), new Cell(spec, value.getHasValue() ? value : null));
    }
  }

  @Override
  public <T> Optional<T> get(ValueSpec<T> spec) {
    Cell cell = cell(spec);
    if (cell.value == null) {
      return Optional.empty();
    }
    String typeName = cell.value.getTypename();
    // the runtime sends back what it stored; another type name means the spec changed meanwhile
    if (!typeName.isEmpty() && !typeName.equals(spec.type().typeName().canonical())) {
      throw new IllegalStateException(
          "State '"
              + spec.name()
              + "' of "
              + describe()
              + " arrived with type "
              + typeName
              + ", but is declared with type "
              + spec.type().typeName());
    }
    return Optional.of(spec.type().deserialize(cell.value.getValue().toByteArray()));
  }

  @Override
  public <T> void set(ValueSpec<T> spec, T value) {
    Cell cell = cell(spec);
    if (value == null) {
      throw new NullPointerException(
          "Cannot set state '"
              + spec.name()
              + "' of "
              + describe()
              + " to null: remove it instead");
    }
    cell.value =
        TypedValue.newBuilder()
            .setTypename(spec.type().typeName().canonical())
            .setHasValue(true)
            .setValue(ByteString.copyFrom(spec.type().serialize(value)))
            .build();
    cell.changed = true;
  }

  @Override
  public void remove(ValueSpec<?> spec) {
    Cell cell = cell(spec);
    cell.value = null;
    cell.changed = true;
  }

  /**
   * A MODIFY with the last value for each state set in the batch, a DELETE for each removed one, in
   * declaration order; nothing for states only read. As in the SDKs, the last write decides, even
   * if it restores the value the batch started with.
   */
  void mutations(Consumer<PersistedValueMutation> sink) {
    for (Cell cell : cells.values()) {
      if (!cell.changed) {
        continue;
      }
      PersistedValueMutation.Builder mutation =
          PersistedValueMutation.newBuilder().setStateName(cell.spec.name());
      if (cell.value == null) {
        mutation.setMutationType(MutationType.DELETE);
      } else {
        mutation.setMutationType(MutationType.MODIFY).setStateValue(cell.value);
      }
      sink.accept(mutation.build());
    }
  }

  /**
   * The runtime stores only declared state, so a remote function cannot use state on the fly as an
   * embedded one can; and a state name keeps its type and expiration.
   */
  private Cell cell(ValueSpec<?> spec) {
    Objects.requireNonNull(spec, "spec");
    Cell cell = cells.get(spec.name());
    if (cell == null) {
      throw new IllegalStateException(
          describe()
              + " uses state '"
              + spec.name()
              + "', which it did not declare: a remote function must declare all its state when"
              + " it is bound, e.g. bind(\""
              + self.type()
              + "\", function, ValueSpec.named(\""
              + spec.name()
              + "\")...)");
    }
    cell.spec.requireSameState(self.type(), spec);
    return cell;
  }

  private String describe() {
    return "function " + self.type() + " (id '" + self.id() + "')";
  }

  private static final class Cell {
    private final ValueSpec<?> spec;

    /** Null when absent. */
    private TypedValue value;

    private boolean changed;

    Cell(ValueSpec<?> spec, TypedValue value) {
      this.spec = spec;
      this.value = value;
    }
  }
}
