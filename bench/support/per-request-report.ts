/**
 * Benchmark 1's table and notes, from the timings of one or more measuring processes
 * (`authorizer-per-request-child.ts`).
 */
import { authorizerEnvironment } from "./authorizers";
import { atMost, infoRow, type BenchmarkResult } from "./report";
import { formatNumber, median, range } from "./stats";

/** The handler's time may be at most this many times the bare verify. */
export const HANDLER_TO_BARE_TARGET = 1.5;

/** µs per request of each round, by candidate name. */
export type Samples = Readonly<Record<string, readonly number[]>>;

/** What one measuring process timed: per candidate, each round's µs per request. */
export interface PerRequestSamples {
  /** CPU time (user + system) of the process. */
  readonly cpu: Samples;
  readonly wall: Samples;
}

/** How the processes were run, for the notes. */
export interface PerRequestRun {
  readonly rounds: number;
  readonly iterations: number;
  readonly warmup: number;
  /** A quick run: its ratio is indicative only. */
  readonly quick: boolean;
}

function routeCount(): number {
  return (JSON.parse(authorizerEnvironment().ROUTE_TABLE) as unknown[]).length;
}

/** The benchmark's result from the samples of every process. */
export function perRequestResult(
  processes: readonly PerRequestSamples[],
  options: PerRequestRun,
  durationMs: number,
): BenchmarkResult {
  const { quick } = options;
  if (processes.length === 0) throw new RangeError("no process samples");
  const cpu = processes.map((p) => p.cpu);
  const wall = processes.map((p) => p.wall);
  // Each process's median, then the median of those: a process's code and memory layout shift all its
  // rounds alike, so processes, not rounds, are the independent samples.
  const med = (name: string) => median(cpu.map((rounds) => median(rounds[name])));
  const spread = (name: string) => {
    const { min, max } = range(cpu.flatMap((rounds) => rounds[name]));
    return `${formatNumber(min, 1)}–${formatNumber(max, 1)}`;
  };
  const us = (name: string) => `${formatNumber(med(name), 1)} µs (${spread(name)})`;
  // Ratios are taken per round (both measured moments apart) and then the median: load from other
  // processes on the machine shifts both sides of a round alike and cancels out of the ratio.
  const processRatio = (rounds: Samples, name: string) => median(rounds[name].map((v, i) => v / rounds.bare[i]));
  const ratioOf = (name: string, samples = cpu) => median(samples.map((rounds) => processRatio(rounds, name)));
  const times = (name: string, samples = cpu) => `${formatNumber(ratioOf(name, samples), 2)}×`;
  const bare = med("bare");
  const ratio = ratioOf("handler");
  const notes = [
    `Token: RS256 (RSA-2048), Cognito access-token claims, \`kid\` header, scope \`orders/read inventory/read\`; event \`GET /orders/42\` against the default registry's route table (${routeCount()} routes).`,
    'Shipped handler = `bundleFunction("authorizer")` (the `index.mjs` the stack zips), imported with `USER_POOL_ID` and `ROUTE_TABLE` set and the JWKS preloaded with the library\'s `cacheJwks`, so no request touches the network, and called with a Lambda context (its request id goes into the line). It runs in a process of its own whose stdout is a file (as the console emulation below writes to a file: the same kind of descriptor for both ways of writing); its one decision line per request goes there in one `writeSync` (`functions/authorizer/stdout-log.ts`), which is what CloudWatch receives: `{"event":"authorizer_decision","level":"INFO","requestId":"…",…}`. The benchmark checks that the file holds every line written and that none went through the console fallback.',
    'Hand-rolled = `jwt.verify(token, key, {algorithms: ["RS256"], issuer})` with jsonwebtoken + `token_use` and route-scope check, bundled with the same esbuild settings; it logs nothing. Per request = the key is `jwkToPem(jwk)` on every request, as the tutorials write it; key once = the JWK converted to a `KeyObject` once and kept.',
    'Bare verify = `crypto.verify("RSA-SHA256", header.payload, publicKeyObject, signature)` with the KeyObject created once: the floor any verifier pays.',
    "Library alone = aws-jwt-verify's generic `JwtVerifier` as published, with the pool's two Cognito issuers as the handler configures them, without the handler's custom check. Handler's verifier = the same configuration in `AccessTokenVerifier` (`functions/authorizer/access-token-verifier.ts`), the library's verifier that decomposes a token with a plain `JSON.parse` where the library's prototype-safe parse could not give anything else, the rest being the library's. Floors = a `verifySync` followed by the handler's own decision line for this request: the library's, written in one `writeSync` to the same stdout file (what the shipped handler does), through an emulation of Lambda's console on a managed Node.js runtime (`bench/support/lambda-console.ts`: ISO timestamp, request id and level, `util.format`, a 16-byte frame header, two `writeSync` calls to a file; what `console.log` costs in Lambda), or into a `net.Socket` on a pipe that another process reads (`bench/support/lambda-stdout.ts`: what `process.stdout.write` is on a pipe, and how Powertools' Logger writes; the reader's byte count is checked against the lines written); and the handler's verifier's, written in one `writeSync`: whatever the handler's own code does, it cannot cost less than that last floor.",
    `Before timing, each candidate is checked to accept the valid token and refuse one signed by another key. ${processes.length === 1 ? "One process" : `${processes.length} processes, one after another, each`}: ${options.rounds} rounds × ${formatNumber(options.iterations, 0)} requests per candidate after ${formatNumber(options.warmup, 0)} warm-up requests each, interleaved in a rotating order. Figures are CPU time (user + system) per request: each process's median of its per-round means, then the median over the processes, with the range of all rounds in brackets; ratios are each process's median of its per-round ratios, then the median over the processes. Separate processes because one process's code and memory layout shift all its rounds alike: the handler's ratio differs by a few hundredths from one process to the next, more than between rounds. Wall-clock ratios of the same rounds, for comparison: handler ${times("handler", wall)}, aws-jwt-verify alone ${times("library", wall)}, the handler's verifier alone ${times("verifier", wall)}, hand-rolled ${times("handRolled", wall)} (key once ${times("handRolledKeyOnce", wall)}) the bare verify.`,
    `Where the handler's time goes, over the bare verify: its verifier ${formatNumber(med("verifier") - bare, 1)} µs (aws-jwt-verify as published costs ${formatNumber(med("library") - bare, 1)} µs: its decoding, of which its prototype-safe \`JSON.parse\` of header and payload is ${formatNumber(med("safeParse"), 1)} µs where a plain \`JSON.parse\` takes ${formatNumber(med("plainParse"), 1)} µs, \`createVerify\`, claim checks), writing the line in one \`writeSync\` ${formatNumber(med("verifierWriteSync") - med("verifier"), 1)} µs (through Lambda's console it would be ${formatNumber(med("floorConsole") - med("library"), 1)} µs, into a socket on a pipe ${formatNumber(med("floorSocket") - med("library"), 1)} µs), and the handler's own work, the handler less its floor, ${formatNumber(med("handler") - med("verifierWriteSync"), 1)} µs (header checks, the custom claim check, the memoised answer per client id, the route match, building the decision line by concatenation).`,
  ];
  if (quick) {
    notes.push(
      `Quick run: ${options.rounds} rounds of ${options.iterations} requests after the full warm-up; the ratio is indicative, the verdict is the full run's.`,
    );
  }
  if (ratio > HANDLER_TO_BARE_TARGET) {
    notes.push(
      `Handler/bare ratio missed: ${formatNumber(ratio, 2)}× against ≤ ${HANDLER_TO_BARE_TARGET}×. The handler's verifier alone costs ${times("verifier")} the bare verify on this machine (aws-jwt-verify as published ${times("library")}), which leaves ${formatNumber((HANDLER_TO_BARE_TARGET - ratioOf("verifier")) * bare, 1)} µs for the handler's own work and the log write together; the floor of its verifier and the line in one \`writeSync\` is ${times("verifierWriteSync")}.`,
    );
  }
  return {
    title: "1. Authorizer per request",
    summary: "Warm path, one valid token, all candidates interleaved in one process.",
    rows: [
      {
        metric: "shipped handler (bundled), decision line in one `writeSync` to its stdout, per request",
        measured: us("handler"),
        target: `≤ ${HANDLER_TO_BARE_TARGET} × bare (${formatNumber(HANDLER_TO_BARE_TARGET * bare, 1)} µs)`,
        verdict: atMost(ratio, HANDLER_TO_BARE_TARGET),
      },
      infoRow("bare RS256 `crypto.verify`, per request", us("bare")),
      infoRow("aws-jwt-verify `verifySync` alone, as published, per request", us("library")),
      infoRow("the handler's verifier (`AccessTokenVerifier`) `verifySync` alone, per request", us("verifier")),
      infoRow(
        "floor: `verifySync` + the decision line in one `writeSync` to stdout, per request",
        us("floorWriteSync"),
      ),
      infoRow("floor: `verifySync` + the line through Lambda's console, per request", us("floorConsole")),
      infoRow("floor: `verifySync` + the line into a `net.Socket` on a pipe, per request", us("floorSocket")),
      infoRow(
        "floor of the handler: its verifier's `verifySync` + the line in one `writeSync`, per request",
        us("verifierWriteSync"),
      ),
      infoRow("aws-jwt-verify's prototype-safe `JSON.parse` of header and payload, per request", us("safeParse")),
      infoRow("plain `JSON.parse` of the same header and payload", us("plainParse")),
      infoRow("hand-rolled (jwk-to-pem + jsonwebtoken), key per request", us("handRolled")),
      infoRow("hand-rolled, key converted once", us("handRolledKeyOnce")),
      {
        metric: "handler ÷ bare verify",
        measured: times("handler"),
        target: `≤ ${HANDLER_TO_BARE_TARGET}×`,
        verdict: atMost(ratio, HANDLER_TO_BARE_TARGET),
      },
      infoRow(
        "handler ÷ bare verify, each process",
        cpu.map((rounds) => `${formatNumber(processRatio(rounds, "handler"), 2)}×`).join(", "),
      ),
      infoRow("aws-jwt-verify alone ÷ bare verify", times("library")),
      infoRow("the handler's verifier alone ÷ bare verify", times("verifier")),
      infoRow("floor with one `writeSync` ÷ bare verify", times("floorWriteSync")),
      infoRow("floor through Lambda's console ÷ bare verify", times("floorConsole")),
      infoRow("floor into a socket on a pipe ÷ bare verify", times("floorSocket")),
      infoRow("floor of the handler ÷ bare verify", times("verifierWriteSync")),
      {
        metric: "hand-rolled, key per request ÷ bare verify",
        measured: `${formatNumber(ratioOf("handRolled"), 1)}×`,
        target: "near 10× (expected)",
        verdict: { kind: "info" },
      },
      infoRow("hand-rolled, key once ÷ bare verify", times("handRolledKeyOnce")),
      infoRow("hand-rolled, key per request ÷ shipped handler", `${formatNumber(ratioOf("handRolled") / ratio, 1)}×`),
    ],
    notes,
    durationMs,
  };
}
