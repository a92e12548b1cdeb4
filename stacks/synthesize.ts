import { App } from "cdktf";
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Registry } from "../config/schema";
import { legacyLocalStateFile } from "../model/names";
import { terraformSyntax } from "../model/terraform-text";
import type { BackendChoice } from "../config/backend-choice";
import type { ClientMove } from "../config/client-moves";
import { DEFAULT_CLIENT_SHARDS, shardOfStack } from "../model/shards";
import { applyClientMoves, removedBlocksHcl } from "./client-moves";
import { ClientShardStack } from "./client-shard-stack";
import { EnvironmentStack } from "./environment-stack";

/** Options of {@link buildApp} and {@link synthesize}. */
export interface BuildAppOptions {
  /**
   * Folder the app writes `stacks/<env>/cdk.tf.json` into.
   * @default "cdktf.out", or CDKTF_OUTDIR when the cdktf CLI runs the app
   */
  readonly outdir?: string;
  /**
   * Only these environments.
   * @default - every environment of the registry
   */
  readonly environments?: readonly string[];
  /**
   * Process environment for the backend choice and the output format (`SYNTH_HCL_OUTPUT`).
   * @default process.env
   */
  readonly processEnv?: NodeJS.ProcessEnv;
  /**
   * Client moves by environment (`loadClientMoves`), checked against the same registry.
   * @default - none
   */
  readonly clientMoves?: ReadonlyMap<string, readonly ClientMove[]>;
}

/** One stack as written. */
export interface SynthesizedStack {
  readonly name: string;
  readonly clients: number;
  readonly backend: BackendChoice;
}

/** What {@link synthesize} did. */
export interface SynthesisReport {
  readonly outdir: string;
  readonly stacks: readonly SynthesizedStack[];
  /** State files moved out of the build output, as `from → to` paths relative to the working directory. */
  readonly movedState: readonly string[];
}

/** A state file in the old place and one in the new: which is current only a person can tell. */
export class StateLocationError extends Error {
  override readonly name = "StateLocationError";
}

/** A stack of the app: an environment's own stack, or one of its client shards. */
export type AppStack = EnvironmentStack | ClientShardStack;

/**
 * Builds the stacks of a registry that has passed validation: per environment its own stack, then,
 * when it has `clientShards` of 2 or more, its client shards, then any retired shard a client move
 * still has to empty; and writes the client moves into them.
 */
export function buildApp(
  registry: Registry,
  options: BuildAppOptions = {},
): { app: App; stacks: AppStack[]; removed: ReadonlyMap<string, readonly string[]> } {
  // The cdktf CLI passes the output folder through CDKTF_OUTDIR; App reads it when outdir is unset, and
  // creates it without its parents (a stack trace for `CDKTF_OUTDIR=out/new npm run synth`).
  mkdirSync(options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out", { recursive: true });
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const names = options.environments ?? Object.keys(registry.environments);
  const removed = new Map<string, readonly string[]>();
  const stacks = names.flatMap((environmentName): AppStack[] => {
    const processEnv = options.processEnv;
    const moves = options.clientMoves?.get(environmentName) ?? [];
    const platform = new EnvironmentStack(app, { registry, environmentName, processEnv });
    const shards = registry.environments[environmentName].clientShards ?? DEFAULT_CLIENT_SHARDS;
    const current = shards > 1 ? Array.from({ length: shards }, (_, shard) => shard) : [];
    // A shard a move comes from that the count no longer has is retired: built empty, so it forgets.
    const retired = moves
      .flatMap((move) => shardOfStack(environmentName, move.from) ?? [])
      .filter((s) => !current.includes(s));
    const shardNumbers = [...new Set([...current, ...retired])].sort((a, b) => a - b);
    const environmentStacks: AppStack[] = [
      platform,
      ...shardNumbers.map(
        (shard) => new ClientShardStack(app, { registry, environmentName, shard, platform, processEnv }),
      ),
    ];
    const forgotten = applyClientMoves(new Map(environmentStacks.map((stack) => [stack.node.id, stack])), moves);
    for (const [stack, addresses] of forgotten) removed.set(stack, addresses);
    return environmentStacks;
  });
  return { app, stacks, removed };
}

/**
 * Builds and writes the stacks. Before writing, moves local state files the stacks used to keep inside
 * the output folder to where they live now; after writing, removes the other output format's file from
 * each stack folder (a `cdk.tf` beside a `cdk.tf.json` declares everything twice).
 */
export function synthesize(registry: Registry, options: BuildAppOptions = {}): SynthesisReport {
  const env = options.processEnv ?? process.env;
  const { app, stacks, removed } = buildApp(registry, options);
  const movedState = stacks.flatMap((stack) => moveLegacyState(app.outdir, stack));
  withoutSourceMappedStackTraces(() => app.synth());
  const hcl = terraformSyntax(env) === "hcl";
  const stale = hcl ? "cdk.tf.json" : "cdk.tf";
  for (const stack of stacks) rmSync(join(app.outdir, "stacks", stack.node.id, stale), { force: true });
  if (hcl) {
    for (const [stack, addresses] of removed) {
      appendFileSync(join(app.outdir, "stacks", stack, "cdk.tf"), removedBlocksHcl(addresses));
    }
  }
  return {
    outdir: app.outdir,
    movedState,
    stacks: stacks.map((stack) => ({
      name: stack.node.id,
      clients: stack.clientCount,
      backend: stack.backend,
    })),
  };
}

/**
 * State a local stack kept at `<outdir>/stacks/<env>/terraform.<env>.tfstate` (before the state
 * folder moved out of the build output) goes to its new place, with its backup. The backend settings
 * Terraform cached in `.terraform/` name the old path, and `terraform init` would stop to ask about a
 * migration; they are removed, so the next init reads the moved state as its own.
 */
function moveLegacyState(outdir: string, stack: AppStack): string[] {
  if (stack.backend.kind !== "local") return [];
  const stackDir = join(outdir, "stacks", stack.node.id);
  const from = join(stackDir, legacyLocalStateFile(stack.node.id));
  if (!existsSync(from)) return [];
  const to = resolve(stackDir, stack.backend.path);
  const shown = (path: string) => relative(process.cwd(), path) || path;
  if (existsSync(to)) {
    throw new StateLocationError(
      `state of ${stack.node.id} is in two places, ${shown(from)} (where it used to be) and ${shown(to)}: keep the one Terraform wrote last, delete the other, and synth again`,
    );
  }
  mkdirSync(dirname(to), { recursive: true });
  renameSync(from, to);
  if (existsSync(`${from}.backup`)) renameSync(`${from}.backup`, `${to}.backup`);
  rmSync(join(stackDir, ".terraform", "terraform.tfstate"), { force: true });
  return [`${shown(from)} → ${shown(to)}`];
}

/**
 * cdktf records a full stack trace for every token it creates, several per client. Under tsx, which
 * maps stack traces back to TypeScript, formatting them took a quarter to a third of the CPU time
 * of a 1,000-client synth (`npm run bench`, CPU profile). Nothing reads them unless a token fails to resolve, and an error thrown here is
 * formatted when it is printed, after source maps are back on.
 */
function withoutSourceMappedStackTraces(run: () => void): void {
  const enabled = process.sourceMapsEnabled;
  if (!enabled) return run();
  process.setSourceMapsEnabled(false);
  try {
    run();
  } finally {
    process.setSourceMapsEnabled(true);
  }
}
