package io.stateweave.flink.processor;

import io.stateweave.sdk.processor.TaskConfig;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/** Creates the task's operator with its parameters, as Flink 2's operators are made. */
final class ProcessorOperatorFactory extends AbstractStreamOperatorFactory<ProcessorRecord>
    implements OneInputStreamOperatorFactory<ProcessorRecord, ProcessorRecord> {
  private static final long serialVersionUID = 1L;

  private final TaskConfig task;

  ProcessorOperatorFactory(TaskConfig task) {
    this.task = task;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StreamOperator<ProcessorRecord>> T createStreamOperator(
      StreamOperatorParameters<ProcessorRecord> parameters) {
    return (T) new ProcessorOperator(parameters, task);
  }

  @Override
  public Class<? extends StreamOperator<?>> getStreamOperatorClass(ClassLoader classLoader) {
    return ProcessorOperator.class;
  }
}
