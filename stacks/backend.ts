import { CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";

/** Terraform Cloud's public host, used when neither config nor `TFC_HOSTNAME` names another. */
export const DEFAULT_TFC_HOSTNAME = "app.terraform.io";

/** Where one environment keeps its Terraform state. */
export type BackendChoice =
  | { readonly kind: "local"; readonly path: string }
  | {
      readonly kind: "cloud";
      readonly organization: string;
      readonly workspace: string;
      readonly hostname: string;
    };

/**
 * An environment variable's value, or undefined when it is unset or blank. CI systems hand an unset
 * variable through as an empty string (GitHub's `${{ vars.X }}` does), and an empty hostname or
 * workspace prefix would silently point a stack at the wrong place.
 */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Picks the backend of an environment: its `terraformCloud` settings first (all of them, host
 * included, so an environment variable never moves a workspace that config pins), then the
 * `TFC_ORGANIZATION` environment variable (workspace `<TFC_WORKSPACE_PREFIX><env>`, prefix
 * `<project>-` by default, host `TFC_HOSTNAME`), else the local backend so that synth needs no
 * credentials. Blank environment variables count as unset.
 */
export function chooseBackend(
  environmentName: string,
  environment: EnvironmentConfig,
  project: string,
  env: NodeJS.ProcessEnv = process.env,
): BackendChoice {
  if (environment.terraformCloud) {
    const { organization, workspace, hostname = DEFAULT_TFC_HOSTNAME } = environment.terraformCloud;
    return { kind: "cloud", organization, workspace, hostname };
  }
  const organization = setting(env, "TFC_ORGANIZATION");
  if (organization) {
    const prefix = setting(env, "TFC_WORKSPACE_PREFIX") ?? `${project}-`;
    const hostname = setting(env, "TFC_HOSTNAME") ?? DEFAULT_TFC_HOSTNAME;
    return { kind: "cloud", organization, workspace: `${prefix}${environmentName}`, hostname };
  }
  return { kind: "local", path: `terraform.${environmentName}.tfstate` };
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
    workspaces: new NamedCloudWorkspace(choice.workspace),
  });
}
