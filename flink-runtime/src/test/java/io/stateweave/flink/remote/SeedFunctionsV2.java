package io.stateweave.flink.remote;

import com.google.protobuf.Any;
import io.stateweave.flink.remote.v2.examples.Admin;
import io.stateweave.flink.remote.v2.examples.Count;
import io.stateweave.flink.remote.v2.examples.GreetRequest;
import io.stateweave.flink.remote.v2.examples.GreetResponse;
import io.stateweave.flink.remote.v2.examples.SeenCount;
import io.stateweave.flink.remote.v2.examples.User;
import io.stateweave.sdk.kafka.generated.KafkaProducerRecord;
import java.time.Duration;

/**
 * The functions of the StateFun 2.x Python docs (the seeds) and of its greeter example, as their
 * Python code reads, on {@link PythonSdkV2}. Where the docs print, these send a {@code
 * GreetResponse} to the egress {@code test/out}.
 */
final class SeedFunctionsV2 {
  private SeedFunctionsV2() {}

  static final String OUT = "test/out";

  static PythonSdkV2 all() {
    return PythonSdkV2.functions()
        .bind("example/greeter", SeedFunctionsV2::greeter, GreetRequest.getDefaultInstance())
        .bind("example/caller", SeedFunctionsV2::caller)
        .bind("example/hello", SeedFunctionsV2::countGreeter)
        .bind(
            "example/goodbye",
            SeedFunctionsV2::goodbye,
            User.getDefaultInstance(),
            Admin.getDefaultInstance());
  }

  /** The greeter example: a Kafka record of the greeting, keyed by name, per request. */
  static void greeter(PythonSdkV2.Context context, Object message) throws Exception {
    GreetRequest request = (GreetRequest) message;
    Any state = context.get("seen_count");
    SeenCount seen =
        state == null
            ? SeenCount.newBuilder().setSeen(1).build()
            : SeenCount.newBuilder().setSeen(state.unpack(SeenCount.class).getSeen() + 1).build();
    context.set("seen_count", Any.pack(seen));
    GreetResponse response = greeting(request.getName(), seen.getSeen());
    context.packAndSendEgress(
        "example/greets",
        KafkaProducerRecord.newBuilder()
            .setTopic("greetings")
            .setKey(request.getName())
            .setValueBytes(response.toByteString())
            .build());
  }

  private static GreetResponse greeting(String name, long seen) {
    String[] templates = {"", "Welcome %s", "Nice to see you again %s", "Third time is a charm %s"};
    String text =
        seen < templates.length
            ? String.format(templates[(int) seen], name)
            : String.format("Nice to see you at the %d-nth time %s!", seen, name);
    return GreetResponse.newBuilder().setName(name).setGreeting(text).build();
  }

  /**
   * The seeds' caller: sends user1 to example/hello; here also to example/goodbye, at once as a
   * user and after a delay as an admin.
   */
  static void caller(PythonSdkV2.Context context, Object message) {
    User user = User.newBuilder().setUserId("user1").setName("Seth").build();
    Any envelope = Any.pack(user);
    context.send("example/hello", user.getUserId(), envelope);
    context.send("example/goodbye", user.getUserId(), envelope);
    context.packAndSendAfter(
        Duration.ofMillis(50),
        "example/goodbye",
        user.getUserId(),
        Admin.newBuilder().setName("root").build());
  }

  /** The seeds' count greeter, state {@code count}. */
  static void countGreeter(PythonSdkV2.Context context, Object message) throws Exception {
    User user = ((Any) message).unpack(User.class);
    Any state = context.get("count");
    int count;
    if (state == null) {
      count = 1;
    } else {
      count = state.unpack(Count.class).getValue() + 1;
    }
    context.set("count", Any.pack(Count.newBuilder().setValue(count).build()));
    String output =
        switch (count) {
          case 1 -> "Hello " + user.getName();
          case 2 -> "Hello again!";
          case 3 -> "Third time's the charm";
          default -> "Hello for the " + count + "th time";
        };
    out(context, user.getName(), output);
  }

  /** The seeds' typed goodbye: a union of User and Admin. */
  static void goodbye(PythonSdkV2.Context context, Object message) {
    if (message instanceof User user) {
      out(context, user.getName(), "Goodbye user");
    } else if (message instanceof Admin admin) {
      out(context, admin.getName(), "Goodbye Admin");
    }
  }

  static void out(PythonSdkV2.Context context, String name, String text) {
    context.packAndSendEgress(
        OUT, GreetResponse.newBuilder().setName(name).setGreeting(text).build());
  }
}
