import { CloudBackend, CloudWorkspace, LocalBackend, TerraformStack } from "cdktf";
import type { BackendChoice } from "../config/backend-choice";

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
