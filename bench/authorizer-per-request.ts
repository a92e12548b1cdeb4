/**
 * Benchmark 1: what one warm request costs. Interleaved in one process, several rounds, medians of the
 * per-round µs/op:
 *  - the shipped handler (the bundled artifact) on a valid token, keys in memory, its decision line
 *    written through an emulation of Lambda's console (`support/lambda-console.ts`);
 *  - a bare RS256 `crypto.verify` of the same token with a ready KeyObject (the floor of any verifier);
 *  - aws-jwt-verify's `verifySync` alone, and the shipped handler with its decision line built but not
 *    written (where the handler's time goes: the library, the handler's own work, the log write);
 *  - the floors of the design: `verifySync` followed by the handler's own decision line written three
 *    ways (Lambda's console; `process.stdout.write` into a pipe, as Powertools' Logger writes; one
 *    `writeSync` to a file), the least an authorizer that keeps the library and logs one line per
 *    request can cost, whatever its own code does;
 *  - the library's prototype-safe `JSON.parse` of the token's header and payload, next to a plain
 *    `JSON.parse` of the same text (the largest part of what the library adds to the bare verify);
 *  - the hand-rolled approach (jwk-to-pem + jsonwebtoken), bundled the same way, with the key converted
 *    per request as the tutorials do, and once.
 */
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { safeJsonParse } from "aws-jwt-verify/safe-json-parse";
import { verify } from "node:crypto";
import { POOL_ID } from "../__tests__/support/tokens";
import {
  authorizerEnvironment,
  createTokenFactory,
  handRolledAuthorizerBundle,
  loadAuthorizer,
  shippedAuthorizerBundle,
  tokenEvent,
  type LoadedAuthorizer,
} from "./support/authorizers";
import { lambdaConsole } from "./support/lambda-console";
import { lambdaStdout } from "./support/lambda-stdout";
import { silenceConsoleLog } from "./support/quiet-console";
import { atMost, infoRow, type BenchmarkResult } from "./support/report";
import { elapsedMs, formatNumber, median, range } from "./support/stats";

/** Options of {@link benchAuthorizerPerRequest}. */
export interface PerRequestOptions {
  /** Rounds; each runs every candidate once, in a rotating order. */
  readonly rounds: number;
  /** Requests per candidate per round. */
  readonly iterations: number;
  /** Requests per candidate before the first round (JIT warm-up). */
  readonly warmup: number;
}

export const PER_REQUEST_FULL: PerRequestOptions = { rounds: 31, iterations: 500, warmup: 2_000 };
// The quick run keeps the full warm-up: with less, V8 has not optimised the handler yet and the ratio
// compares cold code with warm. Three short rounds still make its ratio indicative only.
export const PER_REQUEST_QUICK: PerRequestOptions = { rounds: 3, iterations: 200, warmup: 2_000 };

/** The handler's time may be at most this many times the bare verify. */
export const HANDLER_TO_BARE_TARGET = 1.5;

type Candidate = (
  | { readonly name: string; readonly kind: "sync"; readonly run: () => unknown }
  | { readonly name: string; readonly kind: "async"; readonly run: () => Promise<unknown> }
) & {
  /** Runs around each timed loop of this candidate, outside the timing. @default - nothing */
  readonly around?: <T>(loop: () => Promise<T>) => Promise<T>;
};

/** µs per call of one round, as CPU time of this process and as wall-clock time. */
interface RoundTiming {
  readonly cpu: number;
  readonly wall: number;
}

/**
 * Runs a candidate `n` times. Sync candidates get a loop without `await`. CPU time (user + system) is
 * the primary figure: nothing here waits on I/O, so it is the work itself, and unlike wall-clock time
 * it does not count the moments other processes on a shared machine hold the core.
 */
async function timeCandidate(candidate: Candidate, n: number): Promise<RoundTiming> {
  return candidate.around ? candidate.around(() => timeLoop(candidate, n)) : timeLoop(candidate, n);
}

async function timeLoop(candidate: Candidate, n: number): Promise<RoundTiming> {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  if (candidate.kind === "sync") {
    for (let i = 0; i < n; i++) candidate.run();
  } else {
    for (let i = 0; i < n; i++) await candidate.run();
  }
  const wall = (elapsedMs(start) * 1_000) / n;
  const cpu = process.cpuUsage(cpuStart);
  return { cpu: (cpu.user + cpu.system) / n, wall };
}

function routeCount(): number {
  return (JSON.parse(authorizerEnvironment().ROUTE_TABLE) as unknown[]).length;
}

/** Thrown when a candidate does not accept the valid token or accepts a forged one. */
export class BenchmarkSetupError extends Error {
  override readonly name = "BenchmarkSetupError";
}

/** The decision line the handler writes with `console.log` for `event`. */
async function capturedDecisionLine(handler: LoadedAuthorizer["handler"], event: ReturnType<typeof tokenEvent>) {
  const writer = console.log;
  const lines: unknown[][] = [];
  console.log = (...args: unknown[]) => void lines.push(args);
  try {
    await handler(event);
  } finally {
    console.log = writer;
  }
  if (lines.length !== 1 || lines[0].length !== 1 || typeof lines[0][0] !== "string") {
    throw new BenchmarkSetupError(`the handler logged ${JSON.stringify(lines)} for one request, not one line`);
  }
  return lines[0][0];
}

async function accepts(handler: LoadedAuthorizer["handler"], token: string): Promise<boolean> {
  try {
    const result = await handler(tokenEvent(token));
    return typeof result.principalId === "string";
  } catch {
    return false;
  }
}

export async function benchAuthorizerPerRequest(options: PerRequestOptions): Promise<BenchmarkResult> {
  const started = process.hrtime.bigint();
  const tokens = createTokenFactory(1);
  const forger = createTokenFactory(1);
  const token = tokens.token(1);
  const forged = forger.token(1);
  const event = tokenEvent(token);

  // Loaded with the console silenced: the shipped bundle's init tries to fetch the JWKS (no network
  // here) and logs that it failed; the keys are then preloaded as a warm instance holds them.
  const restoreConsole = silenceConsoleLog();
  const lambdaLog = lambdaConsole();
  const stdoutPipe = lambdaStdout();
  try {
    const shipped = await loadAuthorizer(shippedAuthorizerBundle());
    shipped.cacheJwks(tokens.jwks);
    const handRolled = await loadAuthorizer(handRolledAuthorizerBundle());
    handRolled.cacheJwks(tokens.jwks);
    const handRolledKeyOnce = handRolled.handlerWithKeyConvertedOnce;
    if (!handRolledKeyOnce) throw new BenchmarkSetupError("the hand-rolled bundle has no key-once handler");
    const library = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: "access", clientId: null });
    library.cacheJwks(tokens.jwks);

    const publicKey = tokens.keys[0].publicKey;
    const bareVerify = (jwt: string): boolean => {
      const dot = jwt.lastIndexOf(".");
      return verify(
        "RSA-SHA256",
        Buffer.from(jwt.slice(0, dot)),
        publicKey,
        Buffer.from(jwt.slice(dot + 1), "base64url"),
      );
    };

    // A fast candidate that does not verify would make every ratio meaningless: check both ways first.
    for (const [name, run] of [
      ["shipped handler", shipped.handler],
      ["hand-rolled", handRolled.handler],
      ["hand-rolled, key converted once", handRolledKeyOnce],
    ] as const) {
      if (!(await accepts(run, token))) throw new BenchmarkSetupError(`${name} refused the benchmark's valid token`);
      if (await accepts(run, forged))
        throw new BenchmarkSetupError(`${name} accepted a token signed by an unknown key`);
    }
    if (!bareVerify(token) || bareVerify(`${token.slice(0, token.lastIndexOf("."))}.${forged.split(".")[2]}`)) {
      throw new BenchmarkSetupError("bare crypto.verify does not tell the valid token from a forged signature");
    }
    library.verifySync(token);
    // The JSON texts the library parses for every token: its header and payload, base64url-decoded.
    const [headerJson, payloadJson] = token
      .split(".")
      .slice(0, 2)
      .map((part) => Buffer.from(part, "base64url").toString("utf8"));
    // Both parse candidates must read the same claims, or their rows compare different work.
    const parsedAlike = [headerJson, payloadJson].every(
      (json) => JSON.stringify(safeJsonParse(json)) === JSON.stringify(JSON.parse(json)),
    );
    if (!parsedAlike || (JSON.parse(payloadJson) as { client_id?: unknown }).client_id !== tokens.clientId(1)) {
      throw new BenchmarkSetupError("the library's JSON parse and JSON.parse do not read the same token claims");
    }
    const decisionLine = await capturedDecisionLine(shipped.handler, event);

    // Runs a timed loop with a log sink installed, and puts the previous one back after it.
    const withSink =
      (install: () => () => void) =>
      async <T>(loop: () => Promise<T>): Promise<T> => {
        const restore = install();
        try {
          return await loop();
        } finally {
          restore();
        }
      };
    const throughLambdaConsole = withSink(() => {
      lambdaLog.install();
      return () => lambdaLog.restore();
    });
    const withoutLogWrite = withSink(() => {
      const writer = console.log;
      console.log = () => undefined;
      return () => void (console.log = writer);
    });
    const throughStdoutPipe = withSink(() => {
      stdoutPipe.install();
      return () => stdoutPipe.restore();
    });
    const decisionWrite = `${decisionLine}\n`;
    // The library followed by the handler's own decision line, written three ways.
    const libraryAnd = (name: string, write: () => unknown, around: Candidate["around"]): Candidate => ({
      name,
      kind: "sync",
      run: () => {
        library.verifySync(token);
        write();
      },
      around,
    });
    const candidates: Candidate[] = [
      { name: "handler", kind: "async", run: () => shipped.handler(event), around: throughLambdaConsole },
      { name: "bare", kind: "sync", run: () => bareVerify(token) },
      { name: "library", kind: "sync", run: () => library.verifySync(token) },
      { name: "unwritten", kind: "async", run: () => shipped.handler(event), around: withoutLogWrite },
      libraryAnd("floorConsole", () => console.log(decisionLine), throughLambdaConsole),
      libraryAnd("floorPipe", () => process.stdout.write(decisionWrite), throughStdoutPipe),
      libraryAnd("floorWriteSync", () => lambdaLog.writeLine(decisionLine), undefined),
      { name: "safeParse", kind: "sync", run: () => [safeJsonParse(headerJson), safeJsonParse(payloadJson)] },
      { name: "plainParse", kind: "sync", run: () => [JSON.parse(headerJson), JSON.parse(payloadJson)] },
      { name: "handRolled", kind: "async", run: () => handRolled.handler(event) },
      { name: "handRolledKeyOnce", kind: "async", run: () => handRolledKeyOnce(event) },
    ];
    for (const candidate of candidates) await timeCandidate(candidate, options.warmup);

    const perRound = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
    const wallPerRound = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      // Rotating the order keeps any position effect (GC debt, CPU frequency) from favouring one candidate.
      for (let i = 0; i < candidates.length; i++) {
        const candidate = candidates[(round + i) % candidates.length];
        const timing = await timeCandidate(candidate, options.iterations);
        perRound.get(candidate.name)!.push(timing.cpu);
        wallPerRound.get(candidate.name)!.push(timing.wall);
      }
    }
    restoreConsole();
    // Every line written into the pipe reached its reader.
    const expectedBytes = stdoutPipe.writes() * Buffer.byteLength(decisionWrite);
    const receivedBytes = await stdoutPipe.close();
    if (receivedBytes !== expectedBytes) {
      throw new BenchmarkSetupError(`the stdout pipe's reader got ${receivedBytes} bytes of ${expectedBytes} written`);
    }

    const med = (name: string) => median(perRound.get(name)!);
    const spread = (name: string) => {
      const { min, max } = range(perRound.get(name)!);
      return `${formatNumber(min, 1)}–${formatNumber(max, 1)}`;
    };
    const us = (name: string) => `${formatNumber(med(name), 1)} µs (${spread(name)})`;
    // Ratios are taken per round (both measured moments apart) and then the median: load from other
    // processes on the machine shifts both sides of a round alike and cancels out of the ratio.
    const ratioOf = (name: string, rounds = perRound) =>
      median(rounds.get(name)!.map((v, i) => v / rounds.get("bare")![i]));
    const times = (name: string, rounds = perRound) => `${formatNumber(ratioOf(name, rounds), 2)}×`;
    const bare = med("bare");
    const ratio = ratioOf("handler");
    const notes = [
      `Token: RS256 (RSA-2048), Cognito access-token claims, \`kid\` header, scope \`orders/read inventory/read\`; event \`GET /orders/42\` against the default registry's route table (${routeCount()} routes).`,
      'Shipped handler = `bundleFunction("authorizer")` (the `index.mjs` the stack zips), imported with `USER_POOL_ID` and `ROUTE_TABLE` set and the JWKS preloaded with the library\'s `cacheJwks`, so no request touches the network. Its one decision line per request goes through an emulation of Lambda\'s console on a managed Node.js runtime (`bench/support/lambda-console.ts`: ISO timestamp, request id and level, `util.format`, a 16-byte frame header, two `writeSync` calls to a file), which is what CloudWatch receives: `<time>\\t<request id>\\tINFO\\t{"event":"authorizer_decision",…}`.',
      'Hand-rolled = `jwt.verify(token, key, {algorithms: ["RS256"], issuer})` with jsonwebtoken + `token_use` and route-scope check, bundled with the same esbuild settings; it logs nothing. Per request = the key is `jwkToPem(jwk)` on every request, as the tutorials write it; key once = the JWK converted to a `KeyObject` once and kept.',
      'Bare verify = `crypto.verify("RSA-SHA256", header.payload, publicKeyObject, signature)` with the KeyObject created once: the floor any verifier pays.',
      "Floors = aws-jwt-verify's `verifySync` followed by the handler's own decision line for this request, written: through the same Lambda console emulation (`console.log`, what the shipped handler does); with `process.stdout.write` into a pipe that another process reads (`bench/support/lambda-stdout.ts`: a `net.Socket` on a pipe, which is what Node makes stdout on a pipe, and how Powertools' Logger writes in Lambda; the reader's byte count is checked against the lines written); or with one `writeSync` of the line to a file (no timestamp, request id or frame: the cheapest write there is, with no fallback for a full pipe). Whatever the handler's own code does, it cannot cost less than the floor of the way it writes.",
      `Before timing, each candidate is checked to accept the valid token and refuse one signed by another key. ${options.rounds} rounds × ${formatNumber(options.iterations, 0)} requests per candidate after ${formatNumber(options.warmup, 0)} warm-up requests each, interleaved in one process in a rotating order; figures are CPU time (user + system) per request, medians of the per-round means with the range in brackets; ratios are medians of the per-round ratios. Wall-clock ratios of the same rounds, for comparison: handler ${times("handler", wallPerRound)}, aws-jwt-verify alone ${times("library", wallPerRound)}, hand-rolled ${times("handRolled", wallPerRound)} (key once ${times("handRolledKeyOnce", wallPerRound)}) the bare verify.`,
      `Where the handler's time goes, over the bare verify: aws-jwt-verify ${formatNumber(med("library") - bare, 1)} µs (its decoding, of which its prototype-safe \`JSON.parse\` of header and payload is ${formatNumber(med("safeParse"), 1)} µs where a plain \`JSON.parse\` takes ${formatNumber(med("plainParse"), 1)} µs; \`createVerify\`; claim checks), the handler's own work ${formatNumber(med("unwritten") - med("library"), 1)} µs (header checks, the custom claim check, the memoised answer per client, stage and scope claim, the route match, building the decision line by concatenation), writing the line through Lambda's console ${formatNumber(med("handler") - med("unwritten"), 1)} µs (in the floors: through the console ${formatNumber(med("floorConsole") - med("library"), 1)} µs, \`process.stdout.write\` into a pipe ${formatNumber(med("floorPipe") - med("library"), 1)} µs, one \`writeSync\` ${formatNumber(med("floorWriteSync") - med("library"), 1)} µs).`,
    ];
    if (options.rounds < PER_REQUEST_FULL.rounds) {
      notes.push(
        `Quick run: ${options.rounds} rounds of ${options.iterations} requests after the full warm-up; the ratio is indicative, the verdict is the full run's.`,
      );
    }
    if (ratio > HANDLER_TO_BARE_TARGET) {
      notes.push(
        `Handler/bare ratio missed: ${formatNumber(ratio, 2)}× against ≤ ${HANDLER_TO_BARE_TARGET}×. aws-jwt-verify alone costs ${times("library")} the bare verify on this machine, which leaves ${formatNumber((HANDLER_TO_BARE_TARGET - ratioOf("library")) * bare, 1)} µs for the handler's own work and the log write together; the floor of the library and the line through Lambda's console is ${times("floorConsole")}, with the line written to a stdout pipe ${times("floorPipe")}, with one \`writeSync\` ${times("floorWriteSync")}.`,
      );
    }
    return {
      title: "1. Authorizer per request",
      summary: "Warm path, one valid token, all candidates interleaved in one process.",
      rows: [
        {
          metric: "shipped handler (bundled), decision line through Lambda's console, per request",
          measured: us("handler"),
          target: `≤ ${HANDLER_TO_BARE_TARGET} × bare (${formatNumber(HANDLER_TO_BARE_TARGET * bare, 1)} µs)`,
          verdict: atMost(ratio, HANDLER_TO_BARE_TARGET),
        },
        infoRow("bare RS256 `crypto.verify`, per request", us("bare")),
        infoRow("aws-jwt-verify `verifySync` alone, per request", us("library")),
        infoRow("shipped handler, decision line built but not written, per request", us("unwritten")),
        infoRow("floor: `verifySync` + the decision line through Lambda's console, per request", us("floorConsole")),
        infoRow("floor: `verifySync` + the line by `process.stdout.write` into a pipe, per request", us("floorPipe")),
        infoRow("floor: `verifySync` + the line in one `writeSync` to a file, per request", us("floorWriteSync")),
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
        infoRow("aws-jwt-verify alone ÷ bare verify", times("library")),
        infoRow("handler, line not written ÷ bare verify", times("unwritten")),
        infoRow("floor through Lambda's console ÷ bare verify", times("floorConsole")),
        infoRow("floor with a stdout pipe ÷ bare verify", times("floorPipe")),
        infoRow("floor with one `writeSync` ÷ bare verify", times("floorWriteSync")),
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
      durationMs: elapsedMs(started),
    };
  } finally {
    restoreConsole();
    lambdaLog.dispose();
    await stdoutPipe.close();
  }
}
