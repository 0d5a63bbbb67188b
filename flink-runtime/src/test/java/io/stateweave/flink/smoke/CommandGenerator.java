package io.stateweave.flink.smoke;

import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.smoke.generated.Command;
import io.stateweave.flink.smoke.generated.Commands;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Deterministic random command trees: tree {@code i} is the same in every run and after every
 * restore, so the expected outcome can be computed up front.
 */
final class CommandGenerator implements GeneratorFunction<Long, IngressRecord> {
  private static final long serialVersionUID = 1L;
  static final TypeName INGRESS = TypeName.parse("smoke/trees");

  final int addresses;
  final long seed;

  CommandGenerator(int addresses, long seed) {
    this.addresses = addresses;
    this.seed = seed;
  }

  /** Tree {@code index} as the ingress record that starts it. */
  @Override
  public IngressRecord map(Long index) {
    return new IngressRecord(INGRESS, rootAddress(index), TypedValue.pack(tree(index)));
  }

  /** The address id tree {@code index} starts at. */
  String rootAddress(long index) {
    return Integer.toString(new Random(seed * 31 + index).nextInt(addresses));
  }

  Commands tree(long index) {
    Random random = new Random(seed * 31 + index);
    random.nextInt(addresses); // the root address
    return commands(random, 0, "t" + index);
  }

  private Commands commands(Random random, int depth, String path) {
    Commands.Builder builder = Commands.newBuilder();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      String here = path + "." + i;
      int pick = random.nextInt(depth >= 3 ? 5 : 12);
      Command.Builder command = Command.newBuilder();
      if (pick < 4) {
        command.setIncrement(Command.Increment.getDefaultInstance());
      } else if (pick == 4) {
        command.setEgress(Command.Egress.newBuilder().setTag(here));
      } else if (pick < 8) {
        command.setSend(
            Command.Send.newBuilder()
                .setTarget(address(random))
                .setCommands(commands(random, depth + 1, here)));
      } else if (pick < 11) {
        command.setSendAfter(
            Command.SendAfter.newBuilder()
                .setTarget(address(random))
                .setDelayMillis(1 + random.nextInt(300))
                .setCommands(commands(random, depth + 1, here)));
      } else {
        command.setSendAfterThenCancel(
            Command.SendAfterThenCancel.newBuilder()
                .setTarget(address(random))
                .setToken(here)
                .setCommands(commands(random, depth + 1, here)));
      }
      builder.addCommand(command);
    }
    return builder.build();
  }

  private String address(Random random) {
    return Integer.toString(random.nextInt(addresses));
  }

  /** What the first {@code trees} trees must produce: increments per address and egress tags. */
  Expected expected(long trees) {
    Expected expected = new Expected();
    for (long i = 0; i < trees; i++) {
      expected.run(rootAddress(i), tree(i));
    }
    return expected;
  }

  static final class Expected {
    final Map<String, Integer> increments = new HashMap<>();
    final List<String> egressTags = new ArrayList<>();

    void run(String address, Commands commands) {
      for (Command command : commands.getCommandList()) {
        switch (command.getCommandCase()) {
          case INCREMENT:
            increments.merge(address, 1, Integer::sum);
            break;
          case EGRESS:
            egressTags.add(command.getEgress().getTag());
            break;
          case SEND:
            run(command.getSend().getTarget(), command.getSend().getCommands());
            break;
          case SEND_AFTER:
            run(command.getSendAfter().getTarget(), command.getSendAfter().getCommands());
            break;
          default:
            break; // cancelled: never runs
        }
      }
    }

    /** Every record the egress must hold, each exactly once. */
    List<String> records() {
      List<String> records = new ArrayList<>(egressTags);
      increments.forEach(
          (address, count) -> {
            for (int n = 1; n <= count; n++) {
              records.add(address + "=" + n);
            }
          });
      return records;
    }
  }
}
