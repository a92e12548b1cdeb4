/**
 * The Terraform Cloud settings a deploy may take from the process environment, under Terraform's own
 * names (`TF_CLOUD_ORGANIZATION`, `TF_CLOUD_HOSTNAME`, `TF_CLOUD_PROJECT`: what the `cloud` block
 * itself reads) or the older `TFC_` names of this project. Read once, at the edge: two names that
 * disagree are a problem to report, never a coin toss.
 */
import type { ConfigProblem } from "./problems";

/** What the environment says; undefined where nothing (or only blanks) is set. */
export interface TerraformCloudVariables {
  readonly organization?: string;
  readonly hostname?: string;
  readonly project?: string;
  /** Prefix of workspace names, `<prefix><env>`; only `TFC_WORKSPACE_PREFIX` (Terraform has none). */
  readonly workspacePrefix?: string;
}

/** Each setting and the variables that may carry it, Terraform's name first. */
const NAMES: { readonly [K in keyof TerraformCloudVariables]-?: readonly string[] } = {
  organization: ["TF_CLOUD_ORGANIZATION", "TFC_ORGANIZATION"],
  hostname: ["TF_CLOUD_HOSTNAME", "TFC_HOSTNAME"],
  project: ["TF_CLOUD_PROJECT", "TFC_PROJECT"],
  workspacePrefix: ["TFC_WORKSPACE_PREFIX"],
};

/** Every variable name this module reads, for the places that must clear them (tests, the emulator). */
export const TERRAFORM_CLOUD_VARIABLE_NAMES: readonly string[] = Object.values(NAMES).flat();

/**
 * An environment variable's value, or undefined when it is unset or blank. CI systems hand an unset
 * variable through as an empty string (GitHub's `${{ vars.X }}` does), and an empty hostname or
 * workspace prefix would silently point a stack at the wrong place.
 */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** The settings, and one problem per setting whose two variables disagree (the first name then wins). */
export function readTerraformCloudVariables(env: NodeJS.ProcessEnv = process.env): {
  readonly variables: TerraformCloudVariables;
  readonly problems: readonly ConfigProblem[];
} {
  const variables: Record<string, string | undefined> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, names] of Object.entries(NAMES)) {
    const given = names.map((name) => ({ name, value: setting(env, name) })).filter((g) => g.value !== undefined);
    variables[key] = given[0]?.value;
    const disagreeing = given.find((g) => g.value !== given[0].value);
    if (disagreeing !== undefined) {
      problems.push({
        severity: "error",
        entry: "environment",
        field: given[0].name,
        message: `must agree with ${disagreeing.name} when both are set (they name one setting); got ${JSON.stringify(given[0].value)} and ${disagreeing.name}=${JSON.stringify(disagreeing.value)}`,
      });
    }
  }
  return { variables, problems };
}
