package io.stateweave.flink.dispatcher;

import io.stateweave.flink.message.Envelope;
import java.util.Objects;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/** Creates the dispatcher with the task's mailbox, which the feedback loop delivers through. */
public final class FunctionDispatcherFactory extends AbstractStreamOperatorFactory<Envelope>
    implements OneInputStreamOperatorFactory<Envelope, Envelope> {
  private static final long serialVersionUID = 1L;

  private final DispatcherSpec spec;

  public FunctionDispatcherFactory(DispatcherSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StreamOperator<Envelope>> T createStreamOperator(
      StreamOperatorParameters<Envelope> parameters) {
    return (T) new FunctionDispatcherOperator(parameters, spec);
  }

  @Override
  public Class<? extends StreamOperator<?>> getStreamOperatorClass(ClassLoader classLoader) {
    return FunctionDispatcherOperator.class;
  }
}
