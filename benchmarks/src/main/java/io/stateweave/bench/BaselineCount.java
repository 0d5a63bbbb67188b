package io.stateweave.bench;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** The hand-written count: a per-key counter in a ValueState. */
final class BaselineCount extends KeyedProcessFunction<String, Tuple2<String, Integer>, Void> {
  private static final long serialVersionUID = 1L;
  private transient ValueState<Integer> count;

  @Override
  public void open(OpenContext openContext) {
    count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.INT));
  }

  @Override
  public void processElement(Tuple2<String, Integer> record, Context context, Collector<Void> out)
      throws Exception {
    Integer current = count.value();
    count.update(current == null ? record.f1 : current + record.f1);
    Probe.invoked();
  }
}
