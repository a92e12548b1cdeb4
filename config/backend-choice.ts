/**
 * Where each stack keeps its Terraform state, decided from the registry and the environment variables
 * alone; `stacks/backend.ts` writes the choice into a stack, and `npm run reshard` reads state from it.
 */
import type { EnvironmentConfig, TerraformCloudDefaults } from "./schema";
import { readTerraformCloudVariables } from "./terraform-cloud-variables";
import { DEFAULT_TFC_HOSTNAME } from "../model/defaults";
import { localStatePath } from "../model/names";
import { clientShardStackName } from "../model/shards";

/** Where one environment keeps its Terraform state. */
export type BackendChoice =
  | {
      readonly kind: "local";
      /** Relative to the stack folder, where Terraform runs. */
      readonly path: string;
    }
  | {
      readonly kind: "cloud";
      readonly organization: string;
      readonly workspace: string;
      readonly hostname: string;
      /** Terraform Cloud project new workspaces are created in; undefined: the organization's default project. */
      readonly project: string | undefined;
    };

/**
 * Picks the backend of an environment:
 * 1. its own `terraformCloud` settings, all of them (an environment variable never moves a workspace
 *    that config pins), with the registry's `terraformCloud` filling in host and project;
 * 2. otherwise an organization from the registry's `terraformCloud` or the environment variables
 *    (`TF_CLOUD_ORGANIZATION` or `TFC_ORGANIZATION`): workspace `<prefix><env>`, prefix `<project>-`
 *    unless set, host and project from the registry or `TF_CLOUD_HOSTNAME` / `TF_CLOUD_PROJECT` (or
 *    their `TFC_` spellings);
 * 3. otherwise the local backend, with state outside the build output (see `localStatePath`).
 *
 * A client shard of the environment (`shard` set) has its own state beside the platform's: workspace
 * `<platform workspace>-clients-<shard>`, or local state named after its stack.
 */
export function chooseBackend(
  environmentName: string,
  environment: EnvironmentConfig,
  project: string,
  defaults: TerraformCloudDefaults = {},
  env: NodeJS.ProcessEnv = process.env,
  shard?: number,
): BackendChoice {
  const ofStack = (platformName: string) =>
    shard === undefined ? platformName : clientShardStackName(platformName, shard);
  if (environment.terraformCloud) {
    const pinned = environment.terraformCloud;
    return {
      kind: "cloud",
      organization: pinned.organization,
      workspace: ofStack(pinned.workspace),
      hostname: pinned.hostname ?? defaults.hostname ?? DEFAULT_TFC_HOSTNAME,
      project: pinned.project ?? defaults.project,
    };
  }
  const variables = readTerraformCloudVariables(env).variables;
  const organization = defaults.organization ?? variables.organization;
  if (organization) {
    const prefix = defaults.workspacePrefix ?? variables.workspacePrefix ?? `${project}-`;
    return {
      kind: "cloud",
      organization,
      workspace: ofStack(`${prefix}${environmentName}`),
      hostname: defaults.hostname ?? variables.hostname ?? DEFAULT_TFC_HOSTNAME,
      project: defaults.project ?? variables.project,
    };
  }
  return { kind: "local", path: localStatePath(ofStack(environmentName)) };
}

/** One line for the synth summary: where this stack's state goes. */
export function describeBackend(choice: BackendChoice): string {
  if (choice.kind === "local") return `local state ${choice.path.replace(/^(\.\.\/)+/, "")}`;
  const project = choice.project === undefined ? "the default project" : `project ${JSON.stringify(choice.project)}`;
  return `Terraform Cloud ${choice.hostname}/${choice.organization}/${choice.workspace} (${project})`;
}
