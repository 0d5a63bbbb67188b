package io.stateweave.flink.translation;

import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Stateweave's own configuration keys, set like any Flink option ({@code -Dkey=value}). */
public final class StateweaveOptions {
  private StateweaveOptions() {}

  public static final ConfigOption<String> BAD_RECORDS =
      ConfigOptions.key("stateweave.bad-records")
          .stringType()
          .defaultValue("fail")
          .withDescription(
              "What happens to an ingress record that cannot be delivered (no key, a value that"
                  + " does not decode): 'fail' the job, or send it to the 'dead-letter' egress.");

  public static final ConfigOption<String> DEAD_LETTER_EGRESS =
      ConfigOptions.key("stateweave.dead-letter-egress")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The id of the egress (defined in the module) that receives undeliverable records"
                  + " as io.stateweave.types/dead-letter JSON, when stateweave.bad-records is"
                  + " 'dead-letter'.");

  static BadRecordPolicy badRecordPolicy(ReadableConfig config) {
    String value = config.get(BAD_RECORDS);
    switch (value) {
      case "fail":
        return BadRecordPolicy.FAIL;
      case "dead-letter":
        return BadRecordPolicy.DEAD_LETTER;
      default:
        throw new IllegalArgumentException(
            BAD_RECORDS.key() + " must be 'fail' or 'dead-letter', got '" + value + "'");
    }
  }
}
