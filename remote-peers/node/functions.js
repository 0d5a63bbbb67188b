// Remote functions written with the official StateFun JavaScript SDK (apache-flink-statefun),
// served over HTTP, as a peer for Stateweave's interop and runtime tests. Nothing here knows about
// Stateweave: it is what a StateFun user's Node service looks like.
//
//   node functions.js [--port 8000]      (or PORT=8000 node functions.js)
//     [--h2c-port 8001] [--h2-port 8443 --tls-cert cert.pem --tls-key key.pem] [--h2-max-streams 100]
//     [--h2-calls-per-connection n]
//
// Listens on 127.0.0.1: HTTP/1.1 on --port, HTTP/2 with prior knowledge on --h2c-port, HTTP/2 or
// HTTP/1.1 over TLS (chosen in the handshake) on --h2-port. POST (any path): StateFun's
// request-reply protocol, the target function is read from the request. GET /health: 200 "ok",
// for launchers waiting for the server; GET /stats: the POSTs served per HTTP version.
"use strict";

const fs = require("fs");
const http = require("http");
const http2 = require("http2");
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

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

function portOption(name, fallback) {
  const value = option(name, fallback);
  if (value === undefined) {
    return undefined;
  }
  const number = Number.parseInt(value, 10);
  if (!(number > 0 && number < 65536)) {
    console.error(`bad port '${value}': give ${name} <1-65535>`);
    process.exit(2);
  }
  return number;
}

// The requests served per HTTP version ("1.1", "2.0"), so that a test can tell which one a client
// spoke, and the HTTP/2 connections accepted: GET /stats.
const served = {};
let http2Connections = 0;

// With --h2-calls-per-connection n, an HTTP/2 connection's n-th call is its last: the server then
// says GOAWAY naming that call's stream, and the calls on later streams were not processed, as
// servers that rotate connections do.
const callsPerConnection = Number.parseInt(option("--h2-calls-per-connection", "0"), 10);
function rotate(req, res) {
  const session = req.stream && req.stream.session;
  if (!session || !(callsPerConnection > 0)) {
    return;
  }
  session.calls = (session.calls || 0) + 1;
  if (session.calls === callsPerConnection) {
    const lastStream = req.stream.id;
    res.on("finish", () => session.goaway(http2.constants.NGHTTP2_NO_ERROR, lastStream));
  } else if (session.calls > callsPerConnection) {
    // a stream opened before the client learnt of the GOAWAY: never processed
    req.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    return true;
  }
  return false;
}

const handler = statefun.handler();
function serve(req, res) {
  if (req.method === "GET" && req.url === "/health") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("ok");
    return;
  }
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ ...served, http2Connections }));
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405, { Allow: "POST" });
    res.end();
    return;
  }
  if (rotate(req, res)) {
    return;
  }
  served[req.httpVersion] = (served[req.httpVersion] || 0) + 1;
  handler(req, res);
}

const servers = [];
function listen(server, port, url) {
  servers.push(server);
  server.on("session", () => http2Connections++);
  server.listen(port, "127.0.0.1", () => {
    console.log(`StateFun JavaScript SDK functions listening on ${url}:${port}`);
  });
}

// HTTP/1.1, always; HTTP/2 on further ports if asked: cleartext with prior knowledge (h2c), and
// over TLS where the handshake (ALPN) offers h2 and http/1.1.
listen(http.createServer(serve), portOption("--port", process.env.PORT || "8000"), "http://127.0.0.1");
const maxStreams = Number.parseInt(option("--h2-max-streams", "100"), 10);
const h2cPort = portOption("--h2c-port");
if (h2cPort !== undefined) {
  listen(http2.createServer({ settings: { maxConcurrentStreams: maxStreams } }, serve), h2cPort, "h2c://127.0.0.1");
}
const h2Port = portOption("--h2-port");
if (h2Port !== undefined) {
  const tls = {
    cert: fs.readFileSync(option("--tls-cert")),
    key: fs.readFileSync(option("--tls-key")),
    allowHTTP1: true,
    settings: { maxConcurrentStreams: maxStreams },
  };
  listen(http2.createSecureServer(tls, serve), h2Port, "https://127.0.0.1");
}
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    let open = servers.length;
    servers.forEach((server) => server.close(() => --open === 0 && process.exit(0)));
  });
}
