package io.stateweave.flink.ingress;

import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.message.TypedValueSerializer;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an ingress record into one message per target function type, at the record's id. A record
 * that cannot be delivered (a {@link DeadLetter} from its source, or one without an id) is counted
 * in the metric {@value #METRIC_GROUP}.{@value #BAD_RECORDS_METRIC} and then fails the job or goes
 * to the dead-letter side output, by the configured policy: never dropped silently.
 */
public final class IngressRouter extends ProcessFunction<IngressRecord, Envelope> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(IngressRouter.class);

  /** The group of Stateweave's metrics below the router operator's, as below the dispatcher's. */
  public static final String METRIC_GROUP = "stateweave";

  public static final String BAD_RECORDS_METRIC = "badRecords";
  public static final OutputTag<TypedValue> DEAD_LETTERS =
      new OutputTag<>("stateweave-dead-letters", TypedValueSerializer.TYPE_INFO);

  /** What happens to a record that cannot be delivered. */
  public enum BadRecordPolicy {
    FAIL,
    DEAD_LETTER;

    /**
     * Applies the policy to a record that cannot be delivered, once counted: fails the job with
     * what the letter says, or logs it and returns it to send to the dead-letter egress. The
     * transactions' requests without a key come here too, so that the user is told the same.
     */
    public TypedValue reject(DeadLetter letter) {
      if (this == FAIL) {
        throw new BadRecordException(
            "Cannot deliver a "
                + letter.describe()
                + "; set stateweave.bad-records: dead-letter (with stateweave.dead-letter-egress)"
                + " to send such records to an egress instead");
      }
      LOG.warn("Sending to the dead-letter egress a {}", letter.describe());
      return letter.toTypedValue();
    }
  }

  private final Map<TypeName, List<TypeName>> targetsByRoute;
  private final BadRecordPolicy policy;
  private transient Counter badRecords;
  private transient TypeName lastRoute;
  private transient List<TypeName> lastTargets;

  public IngressRouter(Map<TypeName, List<TypeName>> targetsByRoute, BadRecordPolicy policy) {
    this.targetsByRoute = Map.copyOf(targetsByRoute);
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public void open(OpenContext openContext) {
    badRecords =
        getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP).counter(BAD_RECORDS_METRIC);
  }

  @Override
  public void processElement(IngressRecord record, Context context, Collector<Envelope> out) {
    List<TypeName> targets = targets(record.ingress());
    if (targets == null) {
      throw new IllegalStateException(
          "Record from ingress " + record.ingress() + ", which the module does not define");
    }
    if (DeadLetter.is(record.value())) {
      reject(DeadLetter.TYPE.deserialize(record.value().bytes()), context);
      return;
    }
    if (record.id() == null) {
      reject(
          new DeadLetter(
              record.ingress(),
              "no source position",
              "has no id to address functions with",
              null,
              record.value().typeName(),
              record.value().bytes()),
          context);
      return;
    }
    for (int i = 0, n = targets.size(); i < n; i++) {
      out.collect(Envelope.to(targets.get(i), record.id(), null, record.value()));
    }
  }

  /**
   * The targets of a route. A router's records nearly always come from one route, as the same
   * {@link TypeName} instance, while the map's keys are other instances (the map was serialized
   * with the job): the last route is remembered by identity, which saves a map look-up with a
   * string comparison per record (docs/benchmarks.md, item 11).
   */
  private List<TypeName> targets(TypeName route) {
    if (route != lastRoute) {
      lastTargets = targetsByRoute.get(route);
      lastRoute = route;
    }
    return lastTargets;
  }

  private void reject(DeadLetter letter, Context context) {
    badRecords.inc();
    context.output(DEAD_LETTERS, policy.reject(letter));
  }

  /** A record could not be delivered and the policy is to fail. */
  public static final class BadRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRecordException(String message) {
      super(message);
    }
  }
}
