/**
 * Benchmark 1's measurement, run by `bench/authorizer-per-request.ts` in a process of its own
 * (`node --import tsx`) whose stdout is a file: the shipped handler writes its decision lines there, as
 * it does to its stdout in Lambda. Its result goes back over the IPC channel. Interleaved in this one
 * process, several rounds, medians of the per-round µs/op:
 *  - the shipped handler (the bundled artifact) on a valid token, keys in memory, its decision line
 *    written to stdout in one `writeSync` (what it does in Lambda);
 *  - a bare RS256 `crypto.verify` of the same token with a ready KeyObject (the floor of any verifier);
 *  - aws-jwt-verify's `verifySync` alone, configured as the handler configures it, as the library is
 *    published and as the handler has it (`AccessTokenVerifier`, which parses a token's JSON plainly
 *    where the library's prototype-safe parse could not differ);
 *  - the floors of the design: the published library's `verifySync` followed by the handler's own
 *    decision line written three ways (one `writeSync` to the same stdout, as the handler writes;
 *    Lambda's console, emulated; a `net.Socket` write into a pipe, which is what `process.stdout.write`
 *    is on a pipe and how Powertools' Logger writes), the least an authorizer that keeps the library as
 *    it comes and logs one line per request can cost; and the handler's verifier followed by the line in
 *    one `writeSync`, the least the handler can cost. The handler less that last floor is its own work;
 *  - the library's prototype-safe `JSON.parse` of the token's header and payload, next to a plain
 *    `JSON.parse` of the same text (the largest part of what the library adds to the bare verify);
 *  - the hand-rolled approach (jwk-to-pem + jsonwebtoken), bundled the same way, with the key converted
 *    per request as the tutorials do, and once.
 */
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { JwtVerifier } from "aws-jwt-verify/jwt-verifier";
import { safeJsonParse } from "aws-jwt-verify/safe-json-parse";
import type { APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { verify } from "node:crypto";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { POOL_ID } from "../../__tests__/support/tokens";
import { AccessTokenVerifier } from "../../functions/authorizer/access-token-verifier";
import { cognitoIssuers } from "../../functions/authorizer/cognito-issuers";
import { PER_REQUEST_OPTIONS_ENV, type PerRequestChildReport, type PerRequestOptions } from "../authorizer-per-request";
import {
  createTokenFactory,
  handRolledAuthorizerBundle,
  loadAuthorizer,
  shippedAuthorizerBundle,
  tokenEvent,
  type LoadedAuthorizer,
} from "./authorizers";
import { lambdaConsole } from "./lambda-console";
import { lambdaStdout } from "./lambda-stdout";
import { elapsedMs } from "./stats";

const STDOUT_FD = 1;
// What Lambda passes the handler with each invocation; the handler reads only the request id.
const CONTEXT = { awsRequestId: "8f5b7c3e-2d4a-4e8b-9c1f-6a7d3e2b1c0d" };

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

/** Thrown when a candidate does not accept the valid token or accepts a forged one. */
export class BenchmarkSetupError extends Error {
  override readonly name = "BenchmarkSetupError";
}

/**
 * The decision line the handler writes to stdout for `event`, caught by replacing `fs.writeSync` for
 * descriptor 1 for that one call (the bundle's ES import of it included: `syncBuiltinESMExports`
 * updates the module's named exports). Only before the warm-up: switching the binding makes V8 drop
 * the code compiled against it.
 */
async function capturedDecisionLine(handler: LoadedAuthorizer["handler"], event: APIGatewayTokenAuthorizerEvent) {
  const writes: unknown[] = [];
  const original = fs.writeSync;
  fs.writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== STDOUT_FD) return (original as (...args: unknown[]) => number)(fd, data, ...rest);
    writes.push(data);
    return Buffer.byteLength(String(data));
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
  try {
    await handler(event);
  } finally {
    fs.writeSync = original;
    syncBuiltinESMExports();
  }
  const [text] = writes;
  if (writes.length !== 1 || typeof text !== "string" || !/^[^\n]+\n$/.test(text)) {
    throw new BenchmarkSetupError(
      `the handler wrote ${JSON.stringify(writes)} to stdout for one request, not one line`,
    );
  }
  return text.slice(0, -1);
}

async function accepts(handler: LoadedAuthorizer["handler"], token: string): Promise<boolean> {
  try {
    const result = await handler(tokenEvent(token));
    return typeof result.principalId === "string";
  } catch {
    return false;
  }
}

function acceptsSync(verifier: { verifySync(jwt: string): unknown }, token: string): boolean {
  try {
    verifier.verifySync(token);
    return true;
  } catch {
    return false;
  }
}

/** Runs benchmark 1 in this process; see the top of the file. */
async function measurePerRequest(options: PerRequestOptions): Promise<PerRequestChildReport> {
  const tokens = createTokenFactory(1);
  const forger = createTokenFactory(1);
  const token = tokens.token(1);
  const forged = forger.token(1);
  const event = tokenEvent(token);

  // The shipped handler writes to stdout and falls back to console.log only when a write fails: count
  // what reaches the console, which must stay nothing. The shipped bundle's init tries to fetch the JWKS
  // (no network here) and writes that it failed; the keys are then preloaded as a warm instance holds them.
  let consoleLines = 0;
  const restoreConsole = replaceConsoleLog(() => void consoleLines++);
  const lambdaLog = lambdaConsole();
  const socketPipe = lambdaStdout();
  // Decision lines written to stdout, for the parent to check against what it finds in the file.
  let stdoutLines = 0;
  try {
    const shipped = await loadAuthorizer(shippedAuthorizerBundle());
    shipped.cacheJwks(tokens.jwks);
    const shippedHandler = (e: APIGatewayTokenAuthorizerEvent) => {
      stdoutLines++;
      return shipped.handler(e, CONTEXT);
    };
    const handRolled = await loadAuthorizer(handRolledAuthorizerBundle());
    handRolled.cacheJwks(tokens.jwks);
    const handRolledKeyOnce = handRolled.handlerWithKeyConvertedOnce;
    if (!handRolledKeyOnce) throw new BenchmarkSetupError("the hand-rolled bundle has no key-once handler");
    // As the handler configures it: the generic verifier with the pool's two Cognito issuers.
    const issuers = cognitoIssuers(POOL_ID);
    const library = JwtVerifier.create(issuers.map((issuer) => ({ issuer, audience: null })));
    const handlersVerifier = new AccessTokenVerifier(
      issuers.map((issuer) => ({ issuer, audience: null })),
      new SimpleJwksCache(),
    );
    for (const issuer of issuers) {
      library.cacheJwks(tokens.jwks, issuer);
      handlersVerifier.cacheJwks(tokens.jwks, issuer);
    }

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
      ["shipped handler", shippedHandler],
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
    // The two verifiers must read the token alike and refuse the forged one, or their rows compare
    // different work.
    if (JSON.stringify(handlersVerifier.verifySync(token)) !== JSON.stringify(library.verifySync(token))) {
      throw new BenchmarkSetupError("the handler's verifier and the library's do not return the same payload");
    }
    for (const verifier of [library, handlersVerifier]) {
      if (acceptsSync(verifier, forged))
        throw new BenchmarkSetupError("a verifier accepted a token signed by another key");
    }
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
    const decisionLine = await capturedDecisionLine((e) => shipped.handler(e, CONTEXT), event);

    // Runs a timed loop with the Lambda console emulation installed, and the counting console after it.
    const throughLambdaConsole = async <T>(loop: () => Promise<T>): Promise<T> => {
      lambdaLog.install();
      try {
        return await loop();
      } finally {
        lambdaLog.restore();
      }
    };
    const decisionWrite = `${decisionLine}\n`;
    // A verifier followed by the handler's own decision line: the library's, written three ways; the
    // handler's, written as the handler writes it.
    const verifyAnd = (
      name: string,
      verifier: { verifySync(jwt: string): unknown },
      write: () => unknown,
      around?: Candidate["around"],
    ): Candidate => ({
      name,
      kind: "sync",
      run: () => {
        verifier.verifySync(token);
        write();
      },
      around,
    });
    const writeLine = () => (stdoutLines++, fs.writeSync(STDOUT_FD, decisionWrite));
    const candidates: Candidate[] = [
      { name: "handler", kind: "async", run: () => shippedHandler(event) },
      { name: "bare", kind: "sync", run: () => bareVerify(token) },
      { name: "library", kind: "sync", run: () => library.verifySync(token) },
      { name: "verifier", kind: "sync", run: () => handlersVerifier.verifySync(token) },
      verifyAnd("floorWriteSync", library, writeLine),
      verifyAnd("floorConsole", library, () => console.log(decisionLine), throughLambdaConsole),
      verifyAnd("floorSocket", library, () => socketPipe.write(decisionWrite)),
      verifyAnd("verifierWriteSync", handlersVerifier, writeLine),
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
    if (consoleLines > 0) {
      throw new BenchmarkSetupError(
        `${consoleLines} lines went through console.log: a write to stdout failed and the handler fell back`,
      );
    }
    // Every line written into the socket's pipe reached its reader.
    const expectedBytes = socketPipe.writes() * Buffer.byteLength(decisionWrite);
    const receivedBytes = await socketPipe.close();
    if (receivedBytes !== expectedBytes) {
      throw new BenchmarkSetupError(`the socket pipe's reader got ${receivedBytes} bytes of ${expectedBytes} written`);
    }

    return {
      samples: { cpu: Object.fromEntries(perRound), wall: Object.fromEntries(wallPerRound) },
      stdoutLines,
    };
  } finally {
    restoreConsole();
    lambdaLog.dispose();
    await socketPipe.close();
  }
}

/** Puts `log` in place of `console.log`; the returned function puts the original back (once or more). */
function replaceConsoleLog(log: (...args: unknown[]) => void): () => void {
  const original = console.log;
  console.log = log;
  return () => void (console.log = original);
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env[PER_REQUEST_OPTIONS_ENV] ?? "null") as PerRequestOptions | null;
  const send = process.send?.bind(process);
  if (!options || !send) throw new Error(`run by bench/authorizer-per-request.ts, with ${PER_REQUEST_OPTIONS_ENV} set`);
  const report = await measurePerRequest(options);
  await new Promise<void>((resolve, reject) =>
    send(report, undefined, undefined, (err) => (err ? reject(err) : resolve())),
  );
}

main().catch((err: unknown) => {
  const message =
    err instanceof BenchmarkSetupError
      ? `${err.name}: ${err.message}`
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
