/**
 * Benchmark 5: the plan a pull request that adds one client runs, with client shards. At the small
 * size the clients are one stack (`clientShards` 1, today's layout); at the large size the same number
 * of clients per stack, in shards (`clientShards` = clients / per-shard). Each is applied to its own
 * moto; then the stack that receives one more client is planned, refreshing (as CI plans after a
 * merge) and with `-refresh=false` (as pull requests plan). With shards the plan should not grow.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorAwsEnv } from "../__tests__/support/emulator";
import { startMotoForStacks } from "../__tests__/support/moto";
import { environmentStackNames, stackOfClient } from "../model/shards";
import {
  type TimedPlan,
  applyWithRepair,
  onPath,
  readStateCount,
  serverErrors,
  terraformIn,
  timed,
} from "./support/emulator-plan";
import { BENCH_ENVIRONMENT, BENCH_REGION, benchClientKey, writeRegistryModule } from "./support/registry-generator";
import { atMost, infoRow, type BenchmarkResult, type ResultRow } from "./support/report";
import { elapsedMs, formatDuration, formatNumber } from "./support/stats";
import { synthRegistry } from "./support/synth-run";

/** Options of {@link benchShardPlan}. */
export interface ShardPlanOptions {
  /** Clients per stack at both sizes. */
  readonly perShard: number;
  /** The large size, a multiple of `perShard`; the small size is `perShard` in one stack. */
  readonly clients: number;
  /** Timed runs of each refreshing plan; the median is reported. */
  readonly planRuns: number;
}

export const SHARD_PLAN_FULL: ShardPlanOptions = { perShard: 100, clients: 1_000, planRuns: 3 };
export const SHARD_PLAN_QUICK: ShardPlanOptions = { perShard: 2, clients: 4, planRuns: 1 };

/** With shards, the add-one plan at the large size is at most this many times the small size's. */
export const SHARDED_GROWTH_TARGET = 1.3;

interface Deployment {
  readonly clients: number;
  readonly shards: number;
  /** The stack the added client lands in, and how many clients it held before. */
  readonly receivingStack: string;
  readonly receivingClients: number;
  readonly resources: number;
  readonly applyMs: number;
  readonly addOne: TimedPlan;
  readonly addOneNoRefresh: TimedPlan;
  readonly serverErrors: number;
  readonly repaired: readonly string[];
}

/** Applies `clients` generated clients in `shards` stacks to a fresh moto and times the add-one plan. */
async function deployAndPlan(clients: number, shards: number, planRuns: number): Promise<Deployment> {
  const work = mkdtempSync(join(tmpdir(), "m2m-bench-shards-"));
  const moto = await startMotoForStacks(work);
  try {
    const awsEnv = emulatorAwsEnv(moto.endpoint, BENCH_REGION, work);
    const outdir = join(work, "cdktf.out");
    const stackDir = (stack: string) => join(outdir, "stacks", stack);
    const synth = (count: number) =>
      synthRegistry({
        registryModule: writeRegistryModule(join(work, "registries"), count, shards),
        outdir,
        scratchDir: join(work, "scratch"),
      });
    synth(clients);
    const stacks = environmentStackNames(BENCH_ENVIRONMENT, shards);
    const repaired: string[] = [];
    const applyStart = process.hrtime.bigint();
    // The platform first: the shards read its outputs.
    for (const stack of stacks) {
      terraformIn(stackDir(stack), awsEnv, moto.logFile)(["init"]);
      repaired.push(...(await applyWithRepair(stackDir(stack), awsEnv, moto)));
    }
    const applyMs = elapsedMs(applyStart);
    const resources = stacks.reduce((sum, stack) => sum + readStateCount(stackDir(stack), awsEnv), 0);
    const added = benchClientKey(clients + 1);
    const receivingStack = stackOfClient(BENCH_ENVIRONMENT, added, shards);
    const receivingClients = Array.from({ length: clients }, (_, i) => benchClientKey(i + 1)).filter(
      (key) => stackOfClient(BENCH_ENVIRONMENT, key, shards) === receivingStack,
    ).length;
    synth(clients + 1);
    const tf = terraformIn(stackDir(receivingStack), awsEnv, moto.logFile);
    const addOne = timed(planRuns, () => tf(["plan"]));
    const addOneNoRefresh = timed(planRuns, () => tf(["plan", "-refresh=false"]));
    return {
      clients,
      shards,
      receivingStack,
      receivingClients,
      resources,
      applyMs,
      addOne,
      addOneNoRefresh,
      serverErrors: serverErrors(moto.logFile),
      repaired,
    };
  } finally {
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function benchShardPlan(options: ShardPlanOptions): Promise<BenchmarkResult> {
  const started = process.hrtime.bigint();
  const title = "5. Adding a client with client shards, on the emulator";
  if (!onPath("terraform", ["version"]) || !onPath("moto_server", ["--help"])) {
    return {
      title,
      summary: "Not measured on this machine.",
      rows: [
        {
          metric: "add-one plan with shards",
          measured: "not run",
          target: "—",
          verdict: { kind: "skipped", detail: "(terraform or moto_server not on PATH)" },
        },
      ],
      notes: ["Skipped: install Terraform ≥ 1.11 and `pip install 'moto[server]>=5'` to run it locally."],
      durationMs: elapsedMs(started),
    };
  }
  const small = await deployAndPlan(options.perShard, 1, options.planRuns);
  const large = await deployAndPlan(options.clients, options.clients / options.perShard, options.planRuns);
  const ratio = large.addOne.ms / small.addOne.ms;
  const ratioNoRefresh = large.addOneNoRefresh.ms / small.addOneNoRefresh.ms;
  const layout = (d: Deployment) =>
    d.shards === 1
      ? `${formatNumber(d.clients, 0)} clients in one stack`
      : `${formatNumber(d.clients, 0)} clients in ${d.shards} shards`;
  const rows: ResultRow[] = [];
  for (const d of [small, large]) {
    rows.push(
      infoRow(
        `${layout(d)}: apply, platform then shards`,
        `${formatDuration(d.applyMs)} (${formatNumber(d.resources, 0)} resources)`,
      ),
      infoRow(
        `${layout(d)}: plan adding one client (stack \`${d.receivingStack}\`, ${d.receivingClients} clients)`,
        formatDuration(d.addOne.ms),
      ),
      infoRow(`${layout(d)}: the same plan, \`-refresh=false\``, formatDuration(d.addOneNoRefresh.ms)),
    );
  }
  rows.push(
    {
      metric: `add-one plan, ${layout(large)} ÷ ${layout(small)}`,
      measured: `${formatNumber(ratio, 2)}×`,
      target: `≤ ${SHARDED_GROWTH_TARGET}×`,
      verdict: atMost(ratio, SHARDED_GROWTH_TARGET),
    },
    infoRow("the same ratio, `-refresh=false`", `${formatNumber(ratioNoRefresh, 2)}×`),
  );
  const notes = [
    `Both deployments on their own moto_server (\`MOTO_IAM_LOAD_MANAGED_POLICIES=true\`) on 127.0.0.1, run one after the other; ${options.planRuns} run(s) of each plan, median. The added client is \`${benchClientKey(options.clients + 1)}\` (\`${benchClientKey(options.perShard + 1)}\` at the small size); its shard is the hash of its key, so the receiving shard holds about, not exactly, ${options.perShard} clients. Plans read the platform's outputs through \`terraform_remote_state\` (a local state file here, a workspace in Terraform Cloud).`,
    `Plan summaries: small "${small.addOne.summary}", large "${large.addOne.summary}".`,
    "Without shards (benchmark 4), the same plan grows with every client of the environment; the 1,000-client figure there is extrapolated from its measured sizes, because one 1,000-client state applies on moto's local backend in quadratic time (see its note).",
  ];
  const errors = small.serverErrors + large.serverErrors;
  if (errors > 0)
    notes.push(`moto answered ${errors} request(s) with a 5xx status during the run; the AWS SDK retried them.`);
  const repaired = [...small.repaired, ...large.repaired];
  if (repaired.length > 0)
    notes.push(
      `moto carried out ${repaired.length} create(s) twice; the benchmark removed the copies and applied again.`,
    );
  return {
    title,
    summary: "Wall time of the plan for one added client, one stack against shards of the same size.",
    rows,
    notes,
    durationMs: elapsedMs(started),
  };
}
