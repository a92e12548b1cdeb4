/**
 * Benchmark 5: the authorizer's memory under load. 100,000 invocations of the shipped bundle on valid
 * tokens (several clients, two signing keys, several routes) in one fresh process; RSS and heap after
 * a full GC before, halfway and after. A leak shows as growth between the samples; caches fill during
 * the warm-up and stay flat afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DECISION_LINE_START,
  authorizerEnvironment,
  createTokenFactory,
  shippedAuthorizerBundle,
  tokenEvent,
} from "./support/authorizers";
import type { MemoryChildResult } from "./support/authorizer-memory-child";
import { runChild, type ChildRun } from "./support/child-process";
import { atMost, infoRow, type BenchmarkResult } from "./support/report";
import { elapsedMs, formatMb, formatNumber } from "./support/stats";
import { REPO_ROOT } from "./support/synth-run";

/** Options of {@link benchAuthorizerMemory}. */
export interface AuthorizerMemoryOptions {
  readonly invocations: number;
  /** Invocations before the first sample. */
  readonly warmup: number;
}

export const AUTHORIZER_MEMORY_FULL: AuthorizerMemoryOptions = { invocations: 100_000, warmup: 10_000 };
export const AUTHORIZER_MEMORY_QUICK: AuthorizerMemoryOptions = { invocations: 5_000, warmup: 1_000 };

/** Growth allowed between the samples after warm-up: allocator noise, not a cache or a leak. */
export const HEAP_GROWTH_LIMIT_BYTES = 1024 * 1024;
export const RSS_GROWTH_LIMIT_BYTES = 8 * 1024 * 1024;

const CLIENTS = 8;
const ROUTES: readonly [string, string][] = [
  ["GET", "/orders/42"],
  ["GET", "/orders"],
  ["POST", "/inventory/items/sku-1/reservations"],
  ["GET", "/whoami"],
];
const SCOPE_SETS = [
  "orders/read",
  "orders/read orders/write",
  "inventory/read inventory/reserve",
  "orders/read inventory/read",
];

function signed(bytes: number): string {
  const size =
    Math.abs(bytes) < 1024 * 1024 ? `${formatNumber(Math.abs(bytes) / 1024, 0)} KB` : formatMb(Math.abs(bytes));
  return `${bytes >= 0 ? "+" : "−"}${size}`;
}

export function benchAuthorizerMemory(options: AuthorizerMemoryOptions): BenchmarkResult {
  const started = process.hrtime.bigint();
  const bundle = shippedAuthorizerBundle();
  const tokens = createTokenFactory(2);
  const events = Array.from({ length: CLIENTS }, (_, i) => tokens.token(i, SCOPE_SETS[i % SCOPE_SETS.length])).flatMap(
    (token) => ROUTES.map(([method, path]) => tokenEvent(token, method, path)),
  );
  // A file, not a pipe: a pipe whose reader falls behind makes the handler fall back to console.log,
  // which queues lines in memory that this benchmark would then count as the authorizer's.
  const folder = mkdtempSync(join(tmpdir(), "m2m-memory-"));
  const stdoutFile = join(folder, "stdout.log");
  let run: ChildRun<MemoryChildResult>;
  try {
    run = runChild<MemoryChildResult>(
      process.execPath,
      ["--expose-gc", "--import", "tsx", join(__dirname, "support", "authorizer-memory-child.ts")],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...authorizerEnvironment(),
          BENCH_BUNDLE: bundle.file,
          BENCH_JWKS: JSON.stringify(tokens.jwks),
          BENCH_EVENTS: JSON.stringify(events),
          BENCH_INVOCATIONS: String(options.invocations),
          BENCH_WARMUP: String(options.warmup),
        },
        timeoutMs: 600_000,
        stdoutFile,
      },
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const r = run.result;
  if (!r) throw new Error(`the memory child printed no result:\n${run.stderr}`);
  if (r.policies !== r.invocations)
    throw new Error(`only ${r.policies} of ${r.invocations} invocations returned a policy`);
  // Every invocation, warm-up included, wrote its decision line, as in Lambda.
  const decisionLines = run.stdout.split("\n").filter((line) => line.startsWith(DECISION_LINE_START)).length;
  if (decisionLines !== r.warmup + r.invocations)
    throw new Error(
      `the memory child wrote ${decisionLines} decision lines for ${r.warmup + r.invocations} invocations`,
    );

  const heapGrowth = r.after.heapUsed - r.before.heapUsed;
  const rssGrowth = r.after.rss - r.before.rss;
  const reservationGrowth = r.after.heapTotal - r.before.heapTotal;
  // RSS that V8's own heap reservation does not account for: native allocations, code, leaks outside the JS heap.
  const unexplainedRssGrowth = rssGrowth - reservationGrowth;
  const notes = [
    `${formatNumber(r.invocations, 0)} invocations of the shipped bundle in one fresh process (\`node --expose-gc\`), cycling through ${events.length} events: ${CLIENTS} clients' valid tokens signed by two keys, four scope sets, ${ROUTES.length} routes; decision lines written to a file (its stdout, as the handler writes in Lambda; a file because a pipe whose reader falls behind makes the handler queue lines through \`console.log\`, memory that is not the authorizer's). Every invocation returned a policy.`,
    `Samples after two full GCs (\`global.gc()\`): "before" follows a warm-up of ${formatNumber(r.warmup, 0)} invocations, as a warm instance has had (JWKS, imported keys and the answer per client cached), "halfway" and "after" follow the two halves of the run. The targets allow ${formatMb(HEAP_GROWTH_LIMIT_BYTES)} of heap and ${formatMb(RSS_GROWTH_LIMIT_BYTES)} of RSS for allocator noise; a leak of even 10 bytes per request would be ${formatMb(r.invocations * 10)} here.`,
    "RSS includes Node itself and the tsx loader that runs the (TypeScript) measuring script; both are loaded before the first sample.",
    `Throughput in this process: ${formatNumber((r.invocations / r.ms) * 1000, 0)} invocations per second on one core.`,
  ];
  notes.push(
    "RSS is judged raw, as Lambda's memory limit sees it. The net figure (minus V8's heap reservation, `heapTotal`) is shown beside it: under a high allocation rate V8 grows its young generation once and keeps the space after a GC, which raises raw RSS without holding data; a leak shows in heap used, or in RSS the reservation does not explain.",
  );
  if (heapGrowth > HEAP_GROWTH_LIMIT_BYTES || rssGrowth > RSS_GROWTH_LIMIT_BYTES) {
    notes.push(
      `Growth beyond the allowance: heap used ${signed(heapGrowth)}, RSS ${signed(rssGrowth)} (net of the heap reservation ${signed(unexplainedRssGrowth)}); halfway → after: heap used ${signed(r.after.heapUsed - r.half.heapUsed)}, RSS ${signed(r.after.rss - r.half.rss)}.`,
    );
  }
  return {
    title: "6. Memory of the authorizer under load",
    summary: `${formatNumber(r.invocations, 0)} verifications in one process; memory after a full GC before and after.`,
    rows: [
      infoRow(
        "RSS before → halfway → after",
        `${formatMb(r.before.rss)} → ${formatMb(r.half.rss)} → ${formatMb(r.after.rss)}`,
      ),
      {
        metric: "RSS growth, before → after",
        measured: signed(rssGrowth),
        target: `≤ +${formatMb(RSS_GROWTH_LIMIT_BYTES)}`,
        verdict: atMost(rssGrowth, RSS_GROWTH_LIMIT_BYTES),
      },
      infoRow(
        "V8 heap reserved (heapTotal) before → after",
        `${formatMb(r.before.heapTotal)} → ${formatMb(r.after.heapTotal)} (${signed(reservationGrowth)})`,
      ),
      infoRow("RSS growth net of V8's heap reservation, before → after", signed(unexplainedRssGrowth)),
      infoRow("RSS growth, halfway → after", signed(r.after.rss - r.half.rss)),
      infoRow(
        "heap used before → halfway → after",
        `${formatMb(r.before.heapUsed)} → ${formatMb(r.half.heapUsed)} → ${formatMb(r.after.heapUsed)}`,
      ),
      {
        metric: "heap growth, before → after",
        measured: signed(heapGrowth),
        target: `≤ +${formatMb(HEAP_GROWTH_LIMIT_BYTES)}`,
        verdict: atMost(heapGrowth, HEAP_GROWTH_LIMIT_BYTES),
      },
      infoRow("heap growth, halfway → after", signed(r.after.heapUsed - r.half.heapUsed)),
      infoRow("peak RSS of the process", formatMb(r.peakRss)),
    ],
    notes,
    durationMs: elapsedMs(started),
  };
}
