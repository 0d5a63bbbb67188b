package io.stateweave.flink.translation;

import io.stateweave.flink.delay.DelayedMessages;
import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import io.stateweave.flink.remote.RetryPolicy;
import java.time.Duration;
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
                  + " does not decode) or a transaction request record without a key: 'fail' the"
                  + " job, or send it to the 'dead-letter' egress.");

  public static final ConfigOption<Duration> BUFFER_TIMEOUT =
      ConfigOptions.key("stateweave.buffer-timeout")
          .durationType()
          // A message between functions waits for a flush once per hop of a chain, so Flink's
          // 100 ms adds up; much shorter sends buffers less full and costs throughput. 2 ms is
          // the balance measured (docs/benchmarks.md, items 8 and 21).
          .defaultValue(Duration.ofMillis(2))
          .withDescription(
              "Network buffer timeout of the stateful-functions graph (ingress routers, the"
                  + " dispatcher with the feedback loop and egresses, remote calls): how long a"
                  + " message may wait in a partly filled network buffer; 0 flushes after every"
                  + " message. Overrides Flink's execution.buffer-timeout.interval for these"
                  + " operators.");

  public static final ConfigOption<String> DEAD_LETTER_EGRESS =
      ConfigOptions.key("stateweave.dead-letter-egress")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The id of the egress (defined in the module) that receives undeliverable records"
                  + " as io.stateweave.types/dead-letter JSON, when stateweave.bad-records or"
                  + " stateweave.remote.on-failure is 'dead-letter'.");

  public static final ConfigOption<Duration> DELAYED_MESSAGES_MEMORY_HORIZON =
      ConfigOptions.key("stateweave.delayed-messages.memory-horizon")
          .durationType()
          // Memory: the messages of about this long at the rate functions send them. A message
          // still waiting at a checkpoint goes through keyed state once, so a horizon near the
          // checkpoint interval would cost what it saves.
          .defaultValue(DelayedMessages.DEFAULT_MEMORY_HORIZON)
          .withDescription(
              "A message sent with a delay up to this long waits on the heap of its subtask and"
                  + " costs no state access; a checkpoint writes the ones still waiting into keyed"
                  + " state. A message with a longer delay waits in keyed state with a timer and"
                  + " moves onto the heap this long before it is due. 0 keeps every delayed message"
                  + " in keyed state until it is due.");

  public static final ConfigOption<Integer> REMOTE_MAX_RETRIES =
      ConfigOptions.key("stateweave.remote.max-retries")
          .intType()
          .defaultValue(5)
          .withDescription(
              "How often a failed call of a remote function (HTTP 5xx, connection failure,"
                  + " timeout) is tried again before stateweave.remote.on-failure applies.");

  public static final ConfigOption<Duration> REMOTE_INITIAL_BACKOFF =
      ConfigOptions.key("stateweave.remote.initial-backoff")
          .durationType()
          .defaultValue(Duration.ofMillis(100))
          .withDescription(
              "The wait before the first retry of a remote function call; doubled for each"
                  + " further retry up to stateweave.remote.max-backoff.");

  public static final ConfigOption<Duration> REMOTE_MAX_BACKOFF =
      ConfigOptions.key("stateweave.remote.max-backoff")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription("The longest wait between two attempts of a remote function call.");

  public static final ConfigOption<String> REMOTE_ON_FAILURE =
      ConfigOptions.key("stateweave.remote.on-failure")
          .stringType()
          .defaultValue("fail")
          .withDescription(
              "What happens when a remote function call failed after all retries: 'fail' the"
                  + " job (naming the function, the address, the endpoint and the last error), or"
                  + " send the batch's messages to the 'dead-letter' egress"
                  + " (stateweave.dead-letter-egress) and carry on with the address's next ones.");

  public static final ConfigOption<Integer> REMOTE_CAPACITY =
      ConfigOptions.key("stateweave.remote.capacity")
          .intType()
          // StateFun's statefun.async.max-per-task: calls beyond the connection pool wait for a
          // connection, and meanwhile their addresses' next messages gather into batches
          .defaultValue(32768)
          .withDescription(
              "Remote function calls in flight per subtask (at most one per address); at this"
                  + " many the functions take no more input until calls end. A call in flight"
                  + " costs no thread; it holds one of the endpoint's pooled connections.");

  static RetryPolicy retryPolicy(ReadableConfig config) {
    String onFailure = config.get(REMOTE_ON_FAILURE);
    RetryPolicy.OnFailure policy;
    switch (onFailure) {
      case "fail":
        policy = RetryPolicy.OnFailure.FAIL;
        break;
      case "dead-letter":
        policy = RetryPolicy.OnFailure.DEAD_LETTER;
        break;
      default:
        throw new IllegalArgumentException(
            REMOTE_ON_FAILURE.key() + " must be 'fail' or 'dead-letter', got '" + onFailure + "'");
    }
    try {
      return new RetryPolicy(
          config.get(REMOTE_MAX_RETRIES),
          config.get(REMOTE_INITIAL_BACKOFF),
          config.get(REMOTE_MAX_BACKOFF),
          policy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid "
              + REMOTE_MAX_RETRIES.key()
              + ", "
              + REMOTE_INITIAL_BACKOFF.key()
              + " or "
              + REMOTE_MAX_BACKOFF.key()
              + ": "
              + e.getMessage(),
          e);
    }
  }

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
