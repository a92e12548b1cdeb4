/**
 * Preloaded (`node --require`) into the cold-start benchmark's fresh processes: answers HTTPS requests
 * with the JWKS in BENCH_JWKS, in process, so the authorizer's init fetch takes its real code path (the
 * library's fetcher, parser and cache) without a network. It stands in for Cognito answering at once:
 * the figures exclude the network round trip, which in Lambda adds tens of milliseconds to the init.
 */
const https = require("node:https");
const { EventEmitter } = require("node:events");
const { syncBuiltinESMExports } = require("node:module");
const { Readable } = require("node:stream");
const { setImmediate } = require("node:timers");

const body = Buffer.from(process.env.BENCH_JWKS ?? "");

https.request = function request(_uri, _options, onResponse) {
  const req = new EventEmitter();
  req.end = () =>
    setImmediate(() => {
      const response = Readable.from([body]);
      response.statusCode = 200;
      response.headers = { "content-type": "application/json" };
      onResponse(response);
    });
  req.destroy = () => undefined;
  return req;
};
// ES modules that import { request } from "https" see the replacement too.
syncBuiltinESMExports();
