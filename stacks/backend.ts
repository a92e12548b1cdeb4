import { CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";

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
 * Picks the backend of an environment: its `terraformCloud` settings first, then the
 * `TFC_ORGANIZATION` environment variable (workspace `<TFC_WORKSPACE_PREFIX><env>`, prefix
 * `<project>-` by default), else the local backend so that synth needs no credentials.
 */
export function chooseBackend(
  environmentName: string,
  environment: EnvironmentConfig,
  project: string,
  env: NodeJS.ProcessEnv = process.env,
): BackendChoice {
  const hostname = environment.terraformCloud?.hostname ?? env.TFC_HOSTNAME ?? "app.terraform.io";
  if (environment.terraformCloud) {
    const { organization, workspace } = environment.terraformCloud;
    return { kind: "cloud", organization, workspace, hostname };
  }
  const organization = env.TFC_ORGANIZATION?.trim();
  if (organization) {
    const prefix = env.TFC_WORKSPACE_PREFIX ?? `${project}-`;
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
