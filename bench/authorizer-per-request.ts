/**
 * Benchmark 1: what one warm request costs. Interleaved in one process, several rounds, medians of the
 * per-round µs/op:
 *  - the shipped handler (the bundled artifact) on a valid token, JWKS already cached;
 *  - a bare RS256 `crypto.verify` of the same token with a ready KeyObject (the floor);
 *  - aws-jwt-verify's `verifySync` alone, and the handler built from source with its decision line
 *    discarded (where the handler's time goes: library, our code, the log line);
 *  - the hand-rolled approach (jwk-to-pem + jsonwebtoken per request), also bundled.
 */
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { verify } from "node:crypto";
import { POOL_ID } from "../__tests__/support/tokens";
import { createAuthorizer } from "../functions/authorizer/authorizer";
import { parseRouteTable } from "../functions/authorizer/route-table";
import {
  authorizerEnvironment,
  createTokenFactory,
  handRolledAuthorizerBundle,
  loadAuthorizer,
  shippedAuthorizerBundle,
  tokenEvent,
  type LoadedAuthorizer,
} from "./support/authorizers";
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

export const PER_REQUEST_FULL: PerRequestOptions = { rounds: 15, iterations: 1_000, warmup: 1_000 };
export const PER_REQUEST_QUICK: PerRequestOptions = { rounds: 2, iterations: 100, warmup: 50 };

/** The handler's time may be at most this many times the bare verify. */
export const HANDLER_TO_BARE_TARGET = 1.5;

type Candidate =
  | { readonly name: string; readonly kind: "sync"; readonly run: () => unknown }
  | { readonly name: string; readonly kind: "async"; readonly run: () => Promise<unknown> };

/** Runs a candidate `n` times; returns µs per call. Sync candidates get a loop without `await`. */
async function timeCandidate(candidate: Candidate, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  if (candidate.kind === "sync") {
    for (let i = 0; i < n; i++) candidate.run();
  } else {
    for (let i = 0; i < n; i++) await candidate.run();
  }
  return (elapsedMs(start) * 1_000) / n;
}

function routeCount(): number {
  return (JSON.parse(authorizerEnvironment().ROUTE_TABLE) as unknown[]).length;
}

/** Thrown when a candidate does not accept the valid token or accepts a forged one. */
export class BenchmarkSetupError extends Error {
  override readonly name = "BenchmarkSetupError";
}

async function accepts(authorizer: LoadedAuthorizer, token: string): Promise<boolean> {
  try {
    const result = await authorizer.handler(tokenEvent(token));
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

  const shipped = loadAuthorizer(shippedAuthorizerBundle());
  shipped.cacheJwks(tokens.jwks);
  const handRolled = loadAuthorizer(handRolledAuthorizerBundle());
  handRolled.cacheJwks(tokens.jwks);
  const library = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: "access", clientId: null });
  library.cacheJwks(tokens.jwks);
  const unlogged = createAuthorizer({
    userPoolId: POOL_ID,
    routes: parseRouteTable(authorizerEnvironment().ROUTE_TABLE),
    log: () => undefined,
  });
  unlogged.verifier.cacheJwks(tokens.jwks);

  const publicKey = tokens.keys[0].publicKey;
  const bareVerify = (jwt: string): boolean => {
    const dot = jwt.lastIndexOf(".");
    return verify("RSA-SHA256", Buffer.from(jwt.slice(0, dot)), publicKey, Buffer.from(jwt.slice(dot + 1), "base64url"));
  };

  const restoreConsole = silenceConsoleLog();
  try {
    // A fast candidate that does not verify would make every ratio meaningless: check both ways first.
    for (const [name, authorizer] of [["shipped handler", shipped], ["hand-rolled", handRolled]] as const) {
      if (!(await accepts(authorizer, token))) throw new BenchmarkSetupError(`${name} refused the benchmark's valid token`);
      if (await accepts(authorizer, forged)) throw new BenchmarkSetupError(`${name} accepted a token signed by an unknown key`);
    }
    if (!bareVerify(token) || bareVerify(`${token.slice(0, token.lastIndexOf("."))}.${forged.split(".")[2]}`)) {
      throw new BenchmarkSetupError("bare crypto.verify does not tell the valid token from a forged signature");
    }
    library.verifySync(token);

    const candidates: Candidate[] = [
      { name: "handler", kind: "async", run: () => shipped.handler(event) },
      { name: "bare", kind: "sync", run: () => bareVerify(token) },
      { name: "library", kind: "sync", run: () => library.verifySync(token) },
      { name: "unlogged", kind: "async", run: () => unlogged.handler(event) },
      { name: "handRolled", kind: "async", run: () => handRolled.handler(event) },
    ];
    for (const candidate of candidates) await timeCandidate(candidate, options.warmup);

    const perRound = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      // Rotating the order keeps any position effect (GC debt, CPU frequency) from favouring one candidate.
      for (let i = 0; i < candidates.length; i++) {
        const candidate = candidates[(round + i) % candidates.length];
        perRound.get(candidate.name)!.push(await timeCandidate(candidate, options.iterations));
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
    const ratioOf = (name: string) => median(perRound.get(name)!.map((v, i) => v / perRound.get("bare")![i]));
    const handler = med("handler");
    const bare = med("bare");
    const ratio = ratioOf("handler");
    const notes = [
      `Token: RS256 (RSA-2048), Cognito access-token claims, \`kid\` header, scope \`orders/read inventory/read\`; event \`GET /orders/42\` against the default registry's route table (${routeCount()} routes).`,
      "Shipped handler = `bundleFunction(\"authorizer\")` (the `index.js` the stack zips), loaded with `USER_POOL_ID` and `ROUTE_TABLE` set and the JWKS preloaded with the library's `cacheJwks`, so no request touches the network; its per-request decision log line is built and written to the null device.",
      "Hand-rolled = per request `jwkToPem(jwk)` + `jwt.verify(token, pem, {algorithms: [\"RS256\"], issuer})` + `token_use` and route-scope check, bundled with the same esbuild settings; it logs nothing.",
      "Bare verify = `crypto.verify(\"RSA-SHA256\", header.payload, publicKeyObject, signature)` with the KeyObject created once: the floor any verifier pays.",
      `Before timing, each candidate is checked to accept the valid token and refuse one signed by another key. ${options.rounds} rounds × ${formatNumber(options.iterations, 0)} requests per candidate after ${formatNumber(options.warmup, 0)} warm-up requests, interleaved in one process in a rotating order; figures are medians of the per-round means, the range in brackets; ratios are medians of the per-round ratios.`,
    ];
    if (ratio > HANDLER_TO_BARE_TARGET) {
      notes.push(
        `Handler/bare ratio missed: ${formatNumber(ratio, 2)}× against ≤ ${HANDLER_TO_BARE_TARGET}×. aws-jwt-verify alone costs ${formatNumber(ratioOf("library"), 2)}× the bare verify; the handler's own work (header checks, scopes → policy, route match) adds ${formatNumber(med("unlogged") - med("library"), 1)} µs and the decision log line ${formatNumber(handler - med("unlogged"), 1)} µs.`,
      );
    }
    return {
      title: "1. Authorizer per request",
      summary: "Warm path, one valid token, all candidates interleaved in one process.",
      rows: [
        { metric: "shipped handler (bundled), per request", measured: us("handler"), target: `≤ ${HANDLER_TO_BARE_TARGET} × bare (${formatNumber(HANDLER_TO_BARE_TARGET * bare, 1)} µs)`, verdict: atMost(ratio, HANDLER_TO_BARE_TARGET) },
        infoRow("bare RS256 `crypto.verify`, per request", us("bare")),
        infoRow("aws-jwt-verify `verifySync` alone, per request", us("library")),
        infoRow("handler from source, decision line discarded, per request", us("unlogged")),
        infoRow("hand-rolled (jwk-to-pem + jsonwebtoken), per request", us("handRolled")),
        { metric: "handler ÷ bare verify", measured: `${formatNumber(ratio, 2)}×`, target: `≤ ${HANDLER_TO_BARE_TARGET}×`, verdict: atMost(ratio, HANDLER_TO_BARE_TARGET) },
        infoRow("aws-jwt-verify alone ÷ bare verify", `${formatNumber(ratioOf("library"), 2)}×`),
        { metric: "hand-rolled ÷ bare verify", measured: `${formatNumber(ratioOf("handRolled"), 1)}×`, target: "near 10× (expected)", verdict: { kind: "info" } },
        infoRow("hand-rolled ÷ shipped handler", `${formatNumber(ratioOf("handRolled") / ratio, 1)}×`),
      ],
      notes,
      durationMs: elapsedMs(started),
    };
  } finally {
    restoreConsole();
  }
}
