import { CloudBackend, CloudWorkspace, LocalBackend, TerraformStack } from "cdktf";
import type { EnvironmentConfig, TerraformCloudDefaults } from "../config/schema";
import { readTerraformCloudVariables } from "../config/terraform-cloud-variables";
import { DEFAULT_TFC_HOSTNAME } from "../model/defaults";
import { localStatePath } from "../model/names";

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
 */
export function chooseBackend(
  environmentName: string,
  environment: EnvironmentConfig,
  project: string,
  defaults: TerraformCloudDefaults = {},
  env: NodeJS.ProcessEnv = process.env,
): BackendChoice {
  if (environment.terraformCloud) {
    const pinned = environment.terraformCloud;
    return {
      kind: "cloud",
      organization: pinned.organization,
      workspace: pinned.workspace,
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
      workspace: `${prefix}${environmentName}`,
      hostname: defaults.hostname ?? variables.hostname ?? DEFAULT_TFC_HOSTNAME,
      project: defaults.project ?? variables.project,
    };
  }
  return { kind: "local", path: localStatePath(environmentName) };
}

/** One line for the synth summary: where this stack's state goes. */
export function describeBackend(choice: BackendChoice): string {
  if (choice.kind === "local") return `local state ${choice.path.replace(/^(\.\.\/)+/, "")}`;
  const project = choice.project === undefined ? "the default project" : `project ${JSON.stringify(choice.project)}`;
  return `Terraform Cloud ${choice.hostname}/${choice.organization}/${choice.workspace} (${project})`;
}

/**
 * A workspace by name, with its project in both output formats. cdktf's own `NamedCloudWorkspace`
 * leaves the project out of the HCL it writes, so `npm run synth:hcl` would create workspaces in the
 * default project.
 */
class ProjectWorkspace extends CloudWorkspace {
  constructor(
    readonly name: string,
    readonly project: string | undefined,
  ) {
    super();
  }

  toTerraform(): Record<string, string | undefined> {
    return { name: this.name, project: this.project };
  }

  toHclTerraform(): Record<string, unknown> {
    const text = (value: string) => ({ value, type: "simple", storageClassType: "string" });
    return { name: text(this.name), ...(this.project === undefined ? {} : { project: text(this.project) }) };
  }
}

/** Configures the chosen backend on a stack. */
export function applyBackend(stack: TerraformStack, choice: BackendChoice): void {
  if (choice.kind === "local") {
    new LocalBackend(stack, { path: choice.path });
    return;
  }
  new CloudBackend(stack, {
    organization: choice.organization,
    hostname: choice.hostname,
    workspaces: new ProjectWorkspace(choice.workspace, choice.project),
  });
}
