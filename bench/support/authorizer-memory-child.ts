/**
 * Runs in its own process (`node --expose-gc --import tsx`) for the memory benchmark: loads the shipped
 * bundle, preloads the JWKS, warms up on every event, then invokes the handler N times and samples
 * memory after a full GC before, halfway and after. Only node built-ins are loaded besides the bundle,
 * so the figures are the authorizer's. The handler writes its decision lines to this process's stdout,
 * as in Lambda; the result is the last line.
 */
import type { APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { RESULT_PREFIX } from "./child-process";
import { pathToFileURL } from "node:url";

/** One memory sample after a full GC. */
export interface MemorySample {
  readonly rss: number;
  /** What V8 has reserved for the heap, used or not (young generation included). */
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
}

/** What the child reports. */
export interface MemoryChildResult {
  readonly before: MemorySample;
  readonly half: MemorySample;
  readonly after: MemorySample;
  readonly peakRss: number;
  readonly invocations: number;
  readonly warmup: number;
  readonly policies: number;
  readonly ms: number;
}

interface Bundle {
  handler(event: APIGatewayTokenAuthorizerEvent): Promise<{ principalId?: string }>;
  verifier: { cacheJwks(jwks: unknown): void };
}

const gc = (globalThis as { gc?: () => void }).gc;

function sample(): MemorySample {
  // Twice: the first pass may only promote what the second frees.
  gc!();
  gc!();
  const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
  return { rss, heapTotal, heapUsed, external };
}

async function main(): Promise<void> {
  if (!gc) throw new Error("run with node --expose-gc");
  const { BENCH_BUNDLE, BENCH_JWKS, BENCH_EVENTS, BENCH_INVOCATIONS, BENCH_WARMUP } = process.env;
  if (!BENCH_BUNDLE || !BENCH_JWKS || !BENCH_EVENTS || !BENCH_INVOCATIONS || !BENCH_WARMUP)
    throw new Error("BENCH_* environment not set");
  const events = JSON.parse(BENCH_EVENTS) as APIGatewayTokenAuthorizerEvent[];
  const invocations = Number(BENCH_INVOCATIONS);
  const warmup = Number(BENCH_WARMUP);

  const bundle = (await import(pathToFileURL(BENCH_BUNDLE).href)) as Bundle;
  bundle.verifier.cacheJwks(JSON.parse(BENCH_JWKS));
  let policies = 0;
  const run = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const result = await bundle.handler(events[i % events.length]);
      if (typeof result.principalId === "string") policies++;
    }
  };

  // Warm-up, as a warm Lambda instance has had: every token, key and scope set seen, so the library's
  // and the handler's caches hold all they will ever hold for this traffic, and long enough for V8 to
  // size its young generation for this allocation rate.
  await run(warmup);
  policies = 0;
  const before = sample();
  const start = process.hrtime.bigint();
  await run(Math.floor(invocations / 2));
  const half = sample();
  await run(invocations - Math.floor(invocations / 2));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const after = sample();
  const result: MemoryChildResult = {
    before,
    half,
    after,
    peakRss: process.resourceUsage().maxRSS * 1024,
    invocations,
    warmup,
    policies,
    ms,
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
