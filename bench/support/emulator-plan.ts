/**
 * What the emulator plan benchmarks share (`plan-scaling.ts`, `shard-plan.ts`): applying generated
 * clients to moto with the repair of creates moto carried out twice, timing plans, and failures that
 * name Terraform's error lines and keep moto's log.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { runTerraform, terraform } from "../../__tests__/support/terraform";
import { duplicateCreates, removeOrphans } from "./moto-orphans";
import { BENCH_REGION } from "./registry-generator";
import { elapsedMs, median } from "./stats";
import { REPO_ROOT } from "./synth-run";

export interface TimedPlan {
  readonly ms: number;
  /** Terraform's summary line, such as "Plan: 5 to add, 0 to change, 0 to destroy." */
  readonly summary: string;
  /** Addresses the plan would touch. */
  readonly touched: readonly string[];
}

/**
 * Resources the apply creates at once. Lower than Terraform's 10 to make duplicated creates (see
 * `support/moto-orphans.ts`) rarer; the apply is bound by Terraform's own CPU time here (see the note
 * on the local backend), so this costs little. Plans keep the default.
 */
export const APPLY_PARALLELISM = 4;

/** Where a failed run's emulator log is kept for a look afterwards. */
const FAILED_RUN_MOTO_LOG = join(REPO_ROOT, ".tmp", "bench-plan-moto.log");

/** A Terraform command of the benchmark failed: its error blocks, not its whole output. */
export class PlanBenchmarkError extends Error {
  override readonly name = "PlanBenchmarkError";
  constructor(args: readonly string[], cause: unknown, motoLog: string) {
    const text = cause instanceof Error ? cause.message : String(cause);
    const errors = text
      .split("\n")
      .filter((line) => /^(Error:|│ Error:)/.test(line.trim()))
      .slice(0, 5);
    mkdirSync(join(FAILED_RUN_MOTO_LOG, ".."), { recursive: true });
    if (existsSync(motoLog)) copyFileSync(motoLog, FAILED_RUN_MOTO_LOG);
    super(
      `terraform ${args[0]} failed: ${errors.length > 0 ? errors.join(" | ") : text.split("\n").slice(0, 3).join(" ")}; moto's log is in ${relative(process.cwd(), FAILED_RUN_MOTO_LOG)} (${serverErrors(motoLog)} responses with status 5xx)`,
    );
  }
}

const MAX_APPLY_ATTEMPTS = 3;

/** Resources in the state, as `terraform state list` counts them (data sources excluded). */
export function readStateCount(stackDir: string, awsEnv: NodeJS.ProcessEnv): number {
  const listed = terraform(stackDir, ["state", "list"], awsEnv).stdout;
  return listed.split("\n").filter((line) => line.length > 0 && !line.startsWith("data.")).length;
}

/** Requests moto answered with a 5xx status, from its request log. */
export function serverErrors(motoLog: string): number {
  if (!existsSync(motoLog)) return 0;
  return readFileSync(motoLog, "utf8")
    .split("\n")
    .filter((line) => /" 5\d\d /.test(line)).length;
}

export function onPath(command: string, args: readonly string[]): boolean {
  const probe = spawnSync(command, args, { encoding: "utf8", timeout: 60_000 });
  return !probe.error && probe.status === 0;
}

function readPlan(stdout: string): Omit<TimedPlan, "ms"> {
  const summary = /^(Plan: .*|No changes\..*)$/m.exec(stdout)?.[1] ?? "(no summary)";
  const touched = [
    ...stdout.matchAll(/^\s*# (\S+) (will be created|will be updated in-place|must be replaced|will be destroyed)/gm),
  ].map((m) => `${m[1]} (${m[2].replace(/^will be |^must be /, "")})`);
  return { summary, touched };
}

/** Times a command `runs` times; returns the median time and the output of the last run. */
export function timed(runs: number, run: () => string): TimedPlan {
  const times: number[] = [];
  let stdout = "";
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    stdout = run();
    times.push(elapsedMs(start));
  }
  return { ms: median(times), ...readPlan(stdout) };
}

export function listed(touched: readonly string[]): string {
  if (touched.length === 0) return "";
  const more = touched.length > 4 ? `, and ${touched.length - 4} more` : "";
  return ` (${touched.slice(0, 4).join(", ")}${more})`;
}

/**
 * `terraform apply` of one stack folder, repairing the creates moto carried out twice (the SDK retried
 * a request moto had served) and applying again, at most {@link MAX_APPLY_ATTEMPTS} times; returns the
 * AWS names it repaired.
 */
export async function applyWithRepair(
  stackDir: string,
  awsEnv: NodeJS.ProcessEnv,
  moto: { readonly endpoint: string; readonly logFile: string },
): Promise<string[]> {
  const repaired: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const run = runTerraform(
      stackDir,
      ["apply", "-auto-approve", `-parallelism=${APPLY_PARALLELISM}`, "-input=false", "-no-color"],
      awsEnv,
    );
    if (run.status === 0) return repaired;
    const duplicates = duplicateCreates(`${run.stderr}\n${run.stdout}`);
    if (!duplicates || attempt === MAX_APPLY_ATTEMPTS)
      throw new PlanBenchmarkError(["apply"], new Error(run.stderr || run.stdout), moto.logFile);
    // Creates that did succeed are in the state now; only the duplicated ones are created again.
    repaired.push(...duplicates.map((d) => d.name));
    await removeOrphans(moto.endpoint, BENCH_REGION, duplicates);
  }
}

/** `terraform <args>` in a stack folder, failing with a {@link PlanBenchmarkError}. */
export function terraformIn(stackDir: string, awsEnv: NodeJS.ProcessEnv, motoLog: string) {
  return (args: readonly string[]): string => {
    try {
      return terraform(stackDir, [...args, "-input=false", "-no-color"], awsEnv).stdout;
    } catch (error) {
      throw new PlanBenchmarkError(args, error, motoLog);
    }
  };
}
