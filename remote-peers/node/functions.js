// Remote functions written with the official StateFun JavaScript SDK (apache-flink-statefun),
// served over HTTP, as a peer for Stateweave's interop and runtime tests. Nothing here knows about
// Stateweave: it is what a StateFun user's Node service looks like.
//
//   node functions.js [--port 8000]      (or PORT=8000 node functions.js)
//
// Listens on 127.0.0.1. POST (any path): StateFun's request-reply protocol, the target function
// is read from the request. GET /health: 200 "ok", for launchers waiting for the server.
"use strict";

const http = require("http");
const { StateFun, messageBuilder, egressMessageBuilder } = require("apache-flink-statefun");

// Where every function here reports what it did, as UTF-8 strings.
const OUT = "test/out";

// Long enough never to expire during a test; the runtime tests only check it is registered.
const COUNT_EXPIRES_AFTER_WRITE_MS = 24 * 60 * 60 * 1000;

function emit(context, text) {
  context.send(egressMessageBuilder({ typename: OUT, value: text, valueType: StateFun.stringType() }));
}

const statefun = new StateFun();

// The SDK answers a failing function with an empty 500, so say here what failed.
function bind({ typename, specs, fn }) {
  statefun.bind({
    typename,
    specs,
    async fn(context, message) {
      try {
        await fn(context, message);
      } catch (e) {
        console.error(`${typename} (id '${context.self.id}') failed: ${e && e.stack ? e.stack : e}`);
        throw e;
      }
    },
  });
}

// remote/counter: counts the messages per id (any type) and emits "<id>:<count>".
bind({
  typename: "remote/counter",
  specs: [{ name: "count", type: StateFun.intType(), expireAfterWrite: COUNT_EXPIRES_AFTER_WRITE_MS }],
  fn(context, message) {
    const count = (context.storage.count || 0) + 1;
    context.storage.count = count;
    emit(context, `${context.self.id}:${count}`);
  },
});

// remote/greeter: a string name in, "Hello <name>!" back to the caller; a message without a
// caller (from an ingress) has nobody to answer, so the greeting goes to the egress instead.
bind({
  typename: "remote/greeter",
  fn(context, message) {
    const greeting = `Hello ${message.asString()}!`;
    const caller = context.caller;
    if (caller) {
      context.send(messageBuilder({
        typename: caller.typename, id: caller.id, value: greeting, valueType: StateFun.stringType(),
      }));
    } else {
      emit(context, greeting);
    }
  },
});

// remote/delayer: "start:<millis>" sends itself "fire" after that delay, cancellable with the
// token "<id>-timer"; "cancel" cancels it; "fire" arrives when due and emits "<id>:fired".
bind({
  typename: "remote/delayer",
  fn(context, message) {
    const command = message.asString();
    const token = `${context.self.id}-timer`;
    if (command.startsWith("start:")) {
      const delay = Number.parseInt(command.substring("start:".length), 10);
      const fire = messageBuilder({
        typename: context.self.typename, id: context.self.id, value: "fire", valueType: StateFun.stringType(),
      });
      context.sendAfter(delay, fire, token);
    } else if (command === "cancel") {
      context.cancelDelayedMessage(token);
    } else if (command === "fire") {
      emit(context, `${context.self.id}:fired`);
    } else {
      throw new Error(`unknown command '${command}'`);
    }
  },
});

function port() {
  const index = process.argv.indexOf("--port");
  const value = index >= 0 ? process.argv[index + 1] : (process.env.PORT || "8000");
  const number = Number.parseInt(value, 10);
  if (!(number > 0 && number < 65536)) {
    console.error(`bad port '${value}': give --port <1-65535> or PORT`);
    process.exit(2);
  }
  return number;
}

const handler = statefun.handler();
const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("ok");
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405, { Allow: "POST" });
    res.end();
    return;
  }
  handler(req, res);
});

const listenPort = port();
server.listen(listenPort, "127.0.0.1", () => {
  console.log(`StateFun JavaScript SDK functions listening on http://127.0.0.1:${listenPort}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
