/**
 * Benchmark 1: what one warm request costs. Interleaved in one process, several rounds, medians of the
 * per-round µs/op:
 *  - the shipped handler (the bundled artifact) on a valid token, keys in memory, its decision line
 *    written through an emulation of Lambda's console (`support/lambda-console.ts`);
 *  - a bare RS256 `crypto.verify` of the same token with a ready KeyObject (the floor);
 *  - aws-jwt-verify's `verifySync` alone, and the shipped handler with its decision line built but not
 *    written (where the handler's time goes: the library, the handler's own work, the log write);
 *  - the hand-rolled approach (jwk-to-pem + jsonwebtoken), bundled the same way, with the key converted
 *    per request as the tutorials do, and once.
 */
import { CognitoJwtVerifier } from "aws-jwt-verify";
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

    // The decision line through Lambda's console; or built and dropped, to separate the write.
    const throughLambdaConsole = async <T>(loop: () => Promise<T>): Promise<T> => {
      lambdaLog.install();
      try {
        return await loop();
      } finally {
        lambdaLog.restore();
      }
    };
    const withoutLogWrite = async <T>(loop: () => Promise<T>): Promise<T> => {
      const writer = console.log;
      console.log = () => undefined;
      try {
        return await loop();
      } finally {
        console.log = writer;
      }
    };
    const candidates: Candidate[] = [
      { name: "handler", kind: "async", run: () => shipped.handler(event), around: throughLambdaConsole },
      { name: "bare", kind: "sync", run: () => bareVerify(token) },
      { name: "library", kind: "sync", run: () => library.verifySync(token) },
      { name: "unwritten", kind: "async", run: () => shipped.handler(event), around: withoutLogWrite },
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
      `Before timing, each candidate is checked to accept the valid token and refuse one signed by another key. ${options.rounds} rounds × ${formatNumber(options.iterations, 0)} requests per candidate after ${formatNumber(options.warmup, 0)} warm-up requests each, interleaved in one process in a rotating order; figures are CPU time (user + system) per request, medians of the per-round means with the range in brackets; ratios are medians of the per-round ratios. Wall-clock ratios of the same rounds, for comparison: handler ${times("handler", wallPerRound)}, aws-jwt-verify alone ${times("library", wallPerRound)}, hand-rolled ${times("handRolled", wallPerRound)} (key once ${times("handRolledKeyOnce", wallPerRound)}) the bare verify.`,
      `Where the handler's time goes, over the bare verify: aws-jwt-verify ${formatNumber(med("library") - bare, 1)} µs (its decoding with a prototype-safe \`JSON.parse\`, \`createVerify\`, claim checks), the handler's own work ${formatNumber(med("unwritten") - med("library"), 1)} µs (header checks, the custom claim check, the memoised answer per client, stage and scope claim, the route match, building the decision line by concatenation), writing the line through Lambda's console ${formatNumber(med("handler") - med("unwritten"), 1)} µs.`,
    ];
    if (options.rounds < PER_REQUEST_FULL.rounds) {
      notes.push(
        `Quick run: ${options.rounds} rounds of ${options.iterations} requests after the full warm-up; the ratio is indicative, the verdict is the full run's.`,
      );
    }
    if (ratio > HANDLER_TO_BARE_TARGET) {
      notes.push(
        `Handler/bare ratio missed: ${formatNumber(ratio, 2)}× against ≤ ${HANDLER_TO_BARE_TARGET}×. aws-jwt-verify alone costs ${times("library")} the bare verify on this machine, which leaves ${formatNumber((HANDLER_TO_BARE_TARGET - ratioOf("library")) * bare, 1)} µs for the handler's own work and the log write together.`,
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
  }
}
