/**
 * Benchmark 3: how synth grows with clients. Generated registries of 10, 100 and 1,000 clients in one
 * environment, each synthesized in a fresh process as `npm run synth` does (`M2M_CONFIG`,
 * `CDKTF_OUTDIR`); wall time and peak memory of each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BENCH_ENVIRONMENT, writeClientFilesRegistry, writeRegistryModule } from "./support/registry-generator";
import { atMost, infoRow, type BenchmarkResult, type ResultRow } from "./support/report";
import { elapsedMs, formatDuration, formatMb, formatNumber, median } from "./support/stats";
import { readStack, synthRegistry, type SynthRun } from "./support/synth-run";

/** Options of {@link benchSynthScaling}. */
export interface SynthScalingOptions {
  /** Client counts, ascending. */
  readonly sizes: readonly number[];
  /** Synths per size; the sizes alternate so machine load drifts over all of them alike. */
  readonly runs: number;
  /** A large registry synthesized as one stack and as client shards, side by side. */
  readonly sharded: { readonly clients: number; readonly shards: number };
}

export const SYNTH_SCALING_FULL: SynthScalingOptions = {
  sizes: [10, 100, 1_000],
  runs: 3,
  sharded: { clients: 3_000, shards: 30 },
};
export const SYNTH_SCALING_QUICK: SynthScalingOptions = { sizes: [10], runs: 1, sharded: { clients: 20, shards: 2 } };

/** Targets at this many clients. */
export const TARGET_CLIENTS = 1_000;
export const WALL_TARGET_MS = 6_000;
export const PEAK_RSS_TARGET_BYTES = 400 * 1024 * 1024;
/** Reading the largest registry as one file per client costs at most this share more than inline. */
export const CLIENT_FILES_OVERHEAD_TARGET = 0.2;
/** "Near-linear": the per-client cost of the larger step at most this many times the smaller step's. */
export const LINEARITY_TOLERANCE = 1.5;

interface SizeResult {
  readonly clients: number;
  readonly wallMs: number;
  readonly appMs: number | undefined;
  readonly peakRssBytes: number;
  readonly resources: number;
  readonly jsonBytes: number;
}

export function benchSynthScaling(options: SynthScalingOptions): BenchmarkResult {
  const started = process.hrtime.bigint();
  const work = mkdtempSync(join(tmpdir(), "m2m-bench-synth-"));
  try {
    const modules = new Map(options.sizes.map((n) => [n, writeRegistryModule(join(work, "registries"), n)]));
    const runs = new Map<number, SynthRun[]>(options.sizes.map((n) => [n, []]));
    // The largest size also runs as the app was before the stack-trace fix, in the same alternation.
    const largest = options.sizes[options.sizes.length - 1];
    const unfixed: SynthRun[] = [];
    // And as one file per client, the layout config/ uses.
    const filesModule = writeClientFilesRegistry(join(work, "registries"), largest);
    const fromFiles: SynthRun[] = [];
    // And a larger registry as one stack and in shards.
    const { clients: manyClients, shards } = options.sharded;
    const oneStackModule = writeRegistryModule(join(work, "registries"), manyClients);
    const shardedModule = writeRegistryModule(join(work, "registries"), manyClients, shards);
    const oneStack: SynthRun[] = [];
    const inShards: SynthRun[] = [];
    for (let round = 0; round < options.runs; round++) {
      for (const clients of options.sizes) {
        const outdir = join(work, `out-${clients}-${round}`);
        runs
          .get(clients)!
          .push(synthRegistry({ registryModule: modules.get(clients)!, outdir, scratchDir: join(work, "scratch") }));
      }
      unfixed.push(
        synthRegistry({
          registryModule: modules.get(largest)!,
          outdir: join(work, "out-unfixed"),
          scratchDir: join(work, "scratch"),
          keepSourceMappedStacks: true,
        }),
      );
      fromFiles.push(
        synthRegistry({
          registryModule: filesModule,
          outdir: join(work, "out-files"),
          scratchDir: join(work, "scratch"),
        }),
      );
      for (const [module, into] of [
        [oneStackModule, oneStack],
        [shardedModule, inShards],
      ] as const) {
        into.push(
          synthRegistry({ registryModule: module, outdir: join(work, "out-many"), scratchDir: join(work, "scratch") }),
        );
      }
    }
    const results: SizeResult[] = options.sizes.map((clients) => {
      const r = runs.get(clients)!;
      const stack = readStack(join(work, `out-${clients}-0`), BENCH_ENVIRONMENT);
      const app = r.map((x) => x.appMs).filter((x): x is number => x !== undefined);
      return {
        clients,
        wallMs: median(r.map((x) => x.wallMs)),
        appMs: app.length > 0 ? median(app) : undefined,
        peakRssBytes: median(r.map((x) => x.peakRssBytes)),
        resources: stack.resources,
        jsonBytes: stack.jsonBytes,
      };
    });
    const before = {
      clients: largest,
      wallMs: median(unfixed.map((x) => x.wallMs)),
      peakRssBytes: median(unfixed.map((x) => x.peakRssBytes)),
    };
    const files = { clients: largest, wallMs: median(fromFiles.map((x) => x.wallMs)) };
    const result = report(results, before, files, options, elapsedMs(started));
    const shardRows = shardedRows(options.sharded, oneStack, inShards);
    return { ...result, rows: [...result.rows, ...shardRows] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The largest size synthesized as before the fix in `stacks/synthesize.ts`. */
interface UnfixedResult {
  readonly clients: number;
  readonly wallMs: number;
  readonly peakRssBytes: number;
}

function report(
  results: readonly SizeResult[],
  before: UnfixedResult,
  files: { readonly clients: number; readonly wallMs: number },
  options: SynthScalingOptions,
  durationMs: number,
): BenchmarkResult {
  const rows: ResultRow[] = [];
  const notes: string[] = [
    `Registries generated by \`bench/support/registry-generator.ts\`: the sample fixture's resource servers, routes and tiers, one environment, N clients spread over the tiers and five scope sets, written as a TypeScript module and named by \`M2M_CONFIG\`.`,
    `Each synth is \`node --import tsx main.ts\` in a fresh process (what \`npx tsx main.ts\` runs, without the CLI's wrapper process), ${options.runs} run(s) per size, sizes alternating; medians. Wall = process start to exit as the caller sees it; "app" = main.ts's own "done in" (validation + construct tree + writing JSON, after module loading).`,
    "Peak memory = `process.resourceUsage().maxRSS` of the synthesizing process, written at exit by a preloaded script; esbuild's short-lived helper process (bundling the two functions) is not included.",
  ];
  for (const r of results) {
    const isTarget = r.clients === TARGET_CLIENTS;
    const wall = `${formatDuration(r.wallMs)} (app ${r.appMs === undefined ? "?" : formatDuration(r.appMs)})`;
    rows.push(
      isTarget
        ? {
            metric: `${formatNumber(r.clients, 0)} clients: wall time`,
            measured: wall,
            target: `≤ ${formatDuration(WALL_TARGET_MS)}`,
            verdict: atMost(r.wallMs, WALL_TARGET_MS),
          }
        : infoRow(`${formatNumber(r.clients, 0)} clients: wall time`, wall),
    );
    rows.push(
      isTarget
        ? {
            metric: `${formatNumber(r.clients, 0)} clients: peak memory`,
            measured: formatMb(r.peakRssBytes),
            target: `≤ ${formatMb(PEAK_RSS_TARGET_BYTES)}`,
            verdict: atMost(r.peakRssBytes, PEAK_RSS_TARGET_BYTES),
          }
        : infoRow(`${formatNumber(r.clients, 0)} clients: peak memory`, formatMb(r.peakRssBytes)),
    );
    rows.push(
      infoRow(
        `${formatNumber(r.clients, 0)} clients: synthesized stack`,
        `${formatNumber(r.resources, 0)} resources, ${formatMb(r.jsonBytes)} of JSON`,
      ),
    );
  }
  if (!results.some((r) => r.clients === TARGET_CLIENTS)) {
    rows.push({
      metric: `${formatNumber(TARGET_CLIENTS, 0)} clients: wall time and peak memory`,
      measured: "not run (--quick)",
      target: `≤ ${formatDuration(WALL_TARGET_MS)}, ≤ ${formatMb(PEAK_RSS_TARGET_BYTES)}`,
      verdict: { kind: "skipped" },
    });
  }

  // Per-client cost of each step between sizes: growth is near-linear when it does not rise with size.
  const steps = results.slice(1).map((r, i) => {
    const prev = results[i];
    const added = r.clients - prev.clients;
    return {
      from: prev.clients,
      to: r.clients,
      msPerClient: (r.wallMs - prev.wallMs) / added,
      bytesPerClient: (r.peakRssBytes - prev.peakRssBytes) / added,
    };
  });
  for (const step of steps) {
    rows.push(
      infoRow(
        `${formatNumber(step.from, 0)} → ${formatNumber(step.to, 0)} clients: cost per added client`,
        `${formatNumber(step.msPerClient, 2)} ms, ${formatNumber(step.bytesPerClient / 1024, 0)} KB`,
      ),
    );
  }
  if (steps.length >= 2) {
    const first = steps[0].msPerClient;
    const last = steps[steps.length - 1].msPerClient;
    const growth = last / first;
    rows.push({
      metric: "growth: per-client time of the largest step ÷ the smallest step",
      measured: `${formatNumber(growth, 2)}×`,
      target: `≤ ${LINEARITY_TOLERANCE}× (near-linear)`,
      verdict: atMost(growth, LINEARITY_TOLERANCE),
    });
    notes.push(
      "The first step's per-client figure is the noisiest (90 clients' worth of time against a second of fixed start-up); a ratio below 1 means the fixed costs dominate, not that synth gets cheaper per client.",
    );
  }
  const fixed = results.find((r) => r.clients === before.clients)!;
  rows.push(
    infoRow(
      `${formatNumber(before.clients, 0)} clients, before the stack-trace fix: wall time`,
      `${formatDuration(before.wallMs)} (fix saves ${formatNumber((1 - fixed.wallMs / before.wallMs) * 100, 0)} %)`,
    ),
  );
  notes.push(
    'Fix applied (`stacks/synthesize.ts`): cdktf captures a full stack trace for every token it creates, several per client, and under tsx Node maps every frame back to TypeScript through source maps; a CPU profile of the 1,000-client synth put a quarter to a third of its time there. `synthesize()` now turns source-mapped stack traces off while cdktf builds and back on afterwards (an error thrown during synth is still printed with TypeScript positions, since Node formats it when printed). The "before" row runs the same synth with a preload that keeps them on, in the same alternation as the other runs.',
  );
  const overhead = files.wallMs / fixed.wallMs - 1;
  rows.push({
    metric: `${formatNumber(files.clients, 0)} clients as one file each (config/clients/<team>/<key>.ts): wall time`,
    measured: `${formatDuration(files.wallMs)} (${overhead >= 0 ? "+" : ""}${formatNumber(overhead * 100, 0)} % over the same clients inline, ${formatDuration(fixed.wallMs)})`,
    target: `≤ +${formatNumber(CLIENT_FILES_OVERHEAD_TARGET * 100, 0)} %`,
    verdict: atMost(overhead, CLIENT_FILES_OVERHEAD_TARGET),
  });
  notes.push(
    `The file layout: the same ${formatNumber(files.clients, 0)} clients written by \`writeClientFilesRegistry\` as a platform module and one \`export default defineClient({…})\` file each over 20 team folders, gathered by \`registryFromClientFiles\` (\`config/client-files.ts\`) as \`config/registry.ts\` does; synthesized in the same alternation as the inline module, medians compared.`,
  );
  const target = results.find((r) => r.clients === TARGET_CLIENTS);
  if (target && target.wallMs > WALL_TARGET_MS) {
    notes.push(
      `Wall time at ${formatNumber(TARGET_CLIENTS, 0)} clients missed by ${formatDuration(target.wallMs - WALL_TARGET_MS)}.`,
    );
  }
  return {
    title: "3. Synth scaling",
    summary: "Full synth (`main.ts`) of one environment with N generated clients, each in a fresh process.",
    rows,
    notes,
    durationMs,
  };
}

/** A large registry as one stack and in shards: wall time and peak memory of each, side by side. */
function shardedRows(
  sharded: SynthScalingOptions["sharded"],
  oneStack: readonly SynthRun[],
  inShards: readonly SynthRun[],
): ResultRow[] {
  const n = formatNumber(sharded.clients, 0);
  const described = (runs: readonly SynthRun[]) => {
    const app = runs.map((x) => x.appMs).filter((x): x is number => x !== undefined);
    const wall = `${formatDuration(median(runs.map((x) => x.wallMs)))} (app ${app.length > 0 ? formatDuration(median(app)) : "?"})`;
    return `${wall}, peak ${formatMb(median(runs.map((x) => x.peakRssBytes)))}`;
  };
  return [
    infoRow(`${n} clients in one stack: wall time, peak memory`, described(oneStack)),
    infoRow(
      `${n} clients in ${sharded.shards} shards (${sharded.shards + 1} stacks): wall time, peak memory`,
      described(inShards),
    ),
  ];
}
