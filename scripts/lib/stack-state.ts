/**
 * The resources of a stack's Terraform state, read where its backend keeps it: the local state file,
 * or the Terraform Cloud workspace through `terraform state pull` (with the credentials Terraform
 * already uses: `TF_TOKEN_<host>` or `terraform login`). Read-only: nothing is planned or applied.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BackendChoice, chooseBackend } from "../../config/backend-choice";
import type { Registry } from "../../config/schema";
import { DEFAULT_PROJECT } from "../../model/defaults";
import { shardOfStack } from "../../model/shards";
import { CliError } from "./errors";

/** A state's managed resources: address → the attributes Terraform recorded. */
export type StackState = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/** The managed resources of a state document (Terraform's state format, version 4). */
export function resourcesOfState(document: unknown): StackState {
  const resources = new Map<string, Readonly<Record<string, unknown>>>();
  const list = (document as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(list)) return resources;
  for (const resource of list as { mode?: string; type?: string; name?: string; instances?: unknown[] }[]) {
    if (resource.mode !== "managed" || !resource.type || !resource.name) continue;
    const attributes = (resource.instances?.[0] as { attributes?: Record<string, unknown> } | undefined)?.attributes;
    if (attributes) resources.set(`${resource.type}.${resource.name}`, attributes);
  }
  return resources;
}

function parseState(text: string, where: string): StackState | undefined {
  if (text.trim() === "") return undefined;
  try {
    return resourcesOfState(JSON.parse(text));
  } catch {
    throw new CliError(`the state of ${where} is not a Terraform state document`);
  }
}

/**
 * Reads the state of stack `stackName`, or undefined when it has none yet (never applied).
 * @param outdir the synth output folder whose `stacks/<stack>` a local backend's path is relative to
 */
export function readStackState(choice: BackendChoice, stackName: string, outdir: string): StackState | undefined {
  if (choice.kind === "local") {
    const file = resolve(outdir, "stacks", stackName, choice.path);
    return existsSync(file) ? parseState(readFileSync(file, "utf8"), file) : undefined;
  }
  const where = `${choice.hostname}/${choice.organization}/${choice.workspace}`;
  const folder = mkdtempSync(join(tmpdir(), "m2m-state-"));
  try {
    const cloud = {
      organization: choice.organization,
      hostname: choice.hostname,
      workspaces: { name: choice.workspace },
    };
    writeFileSync(join(folder, "main.tf.json"), JSON.stringify({ terraform: { cloud } }));
    for (const args of [
      ["init", "-input=false", "-no-color"],
      ["state", "pull"],
    ]) {
      const run = spawnSync("terraform", args, { cwd: folder, encoding: "utf8", maxBuffer: 1 << 30 });
      if (run.status !== 0) {
        const reason = (run.stderr || run.stdout || String(run.error ?? "")).trim().split("\n").find(Boolean);
        throw new CliError(`terraform ${args[0]} for ${where} failed: ${reason ?? "no output"}`);
      }
      if (args[0] === "state") return parseState(run.stdout, where);
    }
    return undefined;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * A reader of the states of one environment's stacks (platform and shards, current or retired), each
 * where `registry` says its backend keeps it, each read once.
 */
export function backendStateReader(
  registry: Registry,
  environmentName: string,
  outdir: string,
  env: NodeJS.ProcessEnv = process.env,
): (stackName: string) => StackState | undefined {
  const environment = registry.environments[environmentName];
  const project = registry.project ?? DEFAULT_PROJECT;
  const cache = new Map<string, StackState | undefined>();
  return (stackName) => {
    if (!cache.has(stackName)) {
      const shard = shardOfStack(environmentName, stackName);
      const choice = chooseBackend(environmentName, environment, project, registry.terraformCloud, env, shard);
      cache.set(stackName, readStackState(choice, stackName, outdir));
    }
    return cache.get(stackName);
  };
}
