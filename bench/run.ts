/**
 * `npm run bench`: every benchmark of the project in one run, printed as Markdown tables (measured
 * value, target, verdict) and written to `docs/benchmarks.md` with the machine, the date and the
 * command. `npm run bench -- --quick` runs every benchmark's code path once at tiny sizes (CI runs it so
 * the benchmarks cannot rot) and writes its tables to `.tmp/benchmarks.md`, never to the docs.
 *
 * Benchmarks are not tests: a missed target never fails the run. A benchmark that cannot run (it
 * throws) does: that is the rot the CI run is there to catch.
 *
 *   npm run bench [-- --quick] [-- --only=per-request,cold-start,synth,plan,shards,memory] [-- --help]
 *
 * Exit codes: 0 every benchmark ran; 1 one could not; 2 a bad command line.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { AUTHORIZER_MEMORY_FULL, AUTHORIZER_MEMORY_QUICK, benchAuthorizerMemory } from "./authorizer-memory";
import { PER_REQUEST_FULL, PER_REQUEST_QUICK, benchAuthorizerPerRequest } from "./authorizer-per-request";
import { COLD_START_FULL, COLD_START_QUICK, benchColdStart } from "./cold-start";
import { PLAN_SCALING_FULL, PLAN_SCALING_QUICK, benchPlanScaling } from "./plan-scaling";
import { SHARD_PLAN_FULL, SHARD_PLAN_QUICK, benchShardPlan } from "./shard-plan";
import { SYNTH_SCALING_FULL, SYNTH_SCALING_QUICK, benchSynthScaling } from "./synth-scaling";
import { describeMachine } from "./support/machine";
import { missedTargets, renderResult, type BenchmarkResult } from "./support/report";
import { elapsedMs, formatDuration, formatNumber } from "./support/stats";
import { REPO_ROOT } from "./support/synth-run";
import { type CliOutput, processOutput, runCommand } from "../scripts/lib/cli";
import { CliError, EXIT_OK, UsageError } from "../scripts/lib/errors";

/** One benchmark as the runner knows it. */
interface Benchmark {
  /** Name for `--only`. */
  readonly name: string;
  run(quick: boolean): BenchmarkResult | Promise<BenchmarkResult>;
}

const BENCHMARKS: readonly Benchmark[] = [
  { name: "per-request", run: (quick) => benchAuthorizerPerRequest(quick ? PER_REQUEST_QUICK : PER_REQUEST_FULL) },
  { name: "cold-start", run: (quick) => benchColdStart(quick ? COLD_START_QUICK : COLD_START_FULL) },
  { name: "synth", run: (quick) => benchSynthScaling(quick ? SYNTH_SCALING_QUICK : SYNTH_SCALING_FULL) },
  { name: "plan", run: (quick) => benchPlanScaling(quick ? PLAN_SCALING_QUICK : PLAN_SCALING_FULL) },
  { name: "shards", run: (quick) => benchShardPlan(quick ? SHARD_PLAN_QUICK : SHARD_PLAN_FULL) },
  { name: "memory", run: (quick) => benchAuthorizerMemory(quick ? AUTHORIZER_MEMORY_QUICK : AUTHORIZER_MEMORY_FULL) },
];

export const DOC_FILE = join(REPO_ROOT, "docs", "benchmarks.md");
/** Where a quick or partial run writes: never the docs. */
export const SCRATCH_FILE = join(REPO_ROOT, ".tmp", "benchmarks.md");

export const USAGE = `npm run bench [-- --quick] [-- --only=${BENCHMARKS.map((b) => b.name).join(",")}]`;

const COMMAND_LINE = { usage: USAGE, options: { quick: { type: "boolean" }, only: { type: "string" } } } as const;

/** What one run does. */
export interface RunOptions {
  /** Every code path once at tiny sizes, written to the scratch file. */
  readonly quick: boolean;
  /** The benchmarks to run, by name; @default - all of them */
  readonly only: readonly string[] | undefined;
}

/** The run the parsed flags ask for; a benchmark name that does not exist is a usage error. */
export function runOptions(values: { readonly quick?: boolean; readonly only?: string }): RunOptions {
  const only = values.only?.split(",").filter(Boolean);
  const unknown = only?.filter((name) => !BENCHMARKS.some((b) => b.name === name)) ?? [];
  if (unknown.length > 0) {
    throw new UsageError(
      `--only: unknown benchmark ${unknown.join(", ")}; known: ${BENCHMARKS.map((b) => b.name).join(", ")} (usage: ${USAGE})`,
    );
  }
  return { quick: values.quick ?? false, only };
}

function commandLine(args: readonly string[]): string {
  const viaNpm = process.env.npm_lifecycle_event === "bench";
  if (viaNpm) return args.length > 0 ? `npm run bench -- ${args.join(" ")}` : "npm run bench";
  return ["npx tsx bench/run.ts", ...args].join(" ");
}

function header(command: string, quick: boolean, startedAt: Date, totalMs: number, load: readonly number[]): string {
  const machine = describeMachine();
  return [
    quick ? "# Benchmarks (quick run: tiny sizes, figures not comparable)" : "# Benchmarks",
    "",
    "Written by `npm run bench` (`bench/run.ts`); do not edit by hand. Benchmarks are not tests: a missed target is reported here, never failed in CI, where `npm run bench -- --quick` only proves the benchmarks still run.",
    "",
    `- Command: \`${command}\``,
    `- Date: ${startedAt.toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memory} RAM, ${machine.os}`,
    `- Node: ${machine.node}`,
    `- Load average when the run started (1/5/15 min): ${load.map((l) => formatNumber(l, 2)).join(" / ")} — other processes on the machine add noise to every timing`,
    `- Total run time: ${formatDuration(totalMs)}`,
  ].join("\n");
}

/** Runs the benchmarks `argv` (no node, no script) asks for; returns the exit code. */
export function benchCommand(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, ({ values }) => runBenchmarks(runOptions(values), argv, output));
}

async function runBenchmarks(options: RunOptions, args: readonly string[], output: CliOutput): Promise<number> {
  const startedAt = new Date();
  const start = process.hrtime.bigint();
  const load = loadavg();
  const selected = BENCHMARKS.filter((b) => !options.only || options.only.includes(b.name));
  const results: BenchmarkResult[] = [];
  const failures: string[] = [];
  for (const benchmark of selected) {
    output.err(`bench: ${benchmark.name}…`);
    try {
      const result = await benchmark.run(options.quick);
      results.push(result);
      output.out(`${renderResult(result)}\n`);
      output.err(`bench: ${benchmark.name} done in ${formatDuration(result.durationMs)}`);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      failures.push(`${benchmark.name}: ${message}`);
      output.err(`bench: ${benchmark.name} FAILED: ${message}`);
    }
  }
  const totalMs = elapsedMs(start);
  const command = commandLine(args);
  const missed = missedTargets(results);
  const document = [
    header(command, options.quick, startedAt, totalMs, load),
    ...results.map(renderResult),
    ...(failures.length > 0 ? ["## Benchmarks that could not run", "", ...failures.map((f) => `- ${f}`)] : []),
    missed.length > 0 ? ["## Missed targets", "", ...missed.map((m) => `- ${m}`)].join("\n") : "All targets met.",
  ].join("\n\n");

  // A quick run's figures are not worth keeping in the docs; a partial run (--only) would drop sections.
  const file = options.quick || options.only ? SCRATCH_FILE : DOC_FILE;
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, `${document}\n`);
  output.out(missed.length > 0 ? `Missed targets:\n${missed.map((m) => `- ${m}`).join("\n")}` : "All targets met.");
  output.out(`\nTotal ${formatDuration(totalMs)}; written to ${relative(process.cwd(), file)}`);
  if (failures.length > 0) throw new CliError(`${failures.length} benchmark(s) could not run: ${failures.join("; ")}`);
  return EXIT_OK;
}

if (require.main === module) {
  void benchCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
