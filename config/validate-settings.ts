/**
 * Run-time checks of the registry's own settings: the project name every AWS name starts with, the
 * regions it adds to AWS's list, and the Terraform Cloud settings shared by every environment.
 */
import { TERRAFORM_CLOUD_NAME_MAX_LENGTH } from "../model/aws-limits";
import { AWS_REGIONS, REGION_CODE } from "../model/aws-regions";
import type { EntryProblems } from "./problems";
import { checkNameList, got, isRecord } from "./validate-support";

/** Lower-case letters and digits in dash-separated words: it starts every AWS name. */
export const PROJECT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Terraform Cloud organization and workspace names: letters, digits, `_` and `-`. */
export const TERRAFORM_CLOUD_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${TERRAFORM_CLOUD_NAME_MAX_LENGTH}}$`);
/** Terraform Cloud project names: letters, digits, spaces, `-` and `_`, 3 to 40, no space at either end. */
export const TERRAFORM_CLOUD_PROJECT = /^(?! )[A-Za-z0-9 _-]{3,40}(?<! )$/;
export const HOST_NAME =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d{1,5})?$/;

/** The project name, or undefined when it is malformed (reported here). */
export function checkProject(project: unknown, problems: EntryProblems): void {
  if (project === undefined) return;
  if (typeof project !== "string" || !PROJECT_NAME.test(project)) {
    problems.error(
      "project",
      `must be lower-case letters and digits in dash-separated words, starting with a letter (it starts every AWS name); ${got(project)}`,
    );
  } else if (project === "aws") {
    // KMS reserves aliases under alias/aws/, and client keys get alias/<project>/<env>/clients/<key>.
    problems.error("project", `must not be "aws" (AWS reserves the alias/aws/ prefix for its own KMS keys); got "aws"`);
  }
}

/**
 * `additionalRegions`: regions newer than `model/aws-regions.ts`, each written as a region code and
 * not already on the list. Returns the regions an environment may name.
 */
export function checkAdditionalRegions(value: unknown, problems: EntryProblems): ReadonlySet<string> {
  const regions = new Set(AWS_REGIONS);
  if (value === undefined) return regions;
  if (!Array.isArray(value)) {
    problems.error("additionalRegions", `must be a list of region codes such as "xx-east-1"; ${got(value)}`);
    return regions;
  }
  checkNameList(problems, "additionalRegions", value, (region) => {
    if (typeof region !== "string" || !REGION_CODE.test(region)) {
      return `must be a region code such as "xx-east-1"; ${got(region)}`;
    }
    if (AWS_REGIONS.includes(region)) {
      return `must name a region model/aws-regions.ts does not list (it lists this one already); ${got(region)}`;
    }
    return undefined;
  });
  for (const region of value) if (typeof region === "string" && REGION_CODE.test(region)) regions.add(region);
  return regions;
}

/** Checks one Terraform Cloud field; an optional one only when it is set. */
export function checkTerraformCloudField(
  problems: EntryProblems,
  field: string,
  value: unknown,
  kind: "name" | "project" | "hostname" | "prefix",
  required = false,
): void {
  if (value === undefined && !required) return;
  const ok =
    typeof value === "string" &&
    (kind === "name"
      ? TERRAFORM_CLOUD_NAME.test(value)
      : kind === "project"
        ? TERRAFORM_CLOUD_PROJECT.test(value)
        : kind === "hostname"
          ? HOST_NAME.test(value)
          : /^[A-Za-z0-9_-]{1,80}$/.test(value));
  if (ok) return;
  const rule = {
    name: `must be 1 to ${TERRAFORM_CLOUD_NAME_MAX_LENGTH} letters, digits, "_" or "-"`,
    project: `must be 3 to 40 letters, digits, spaces, "-" or "_", not starting or ending with a space (Terraform Cloud's project names)`,
    hostname: `must be a host name such as "app.terraform.io", without scheme or path`,
    prefix: `must be 1 to 80 letters, digits, "_" or "-" (workspace names are <prefix><env>, at most ${TERRAFORM_CLOUD_NAME_MAX_LENGTH})`,
  }[kind];
  problems.error(field, `${rule}; ${got(value)}`);
}

/** The registry-level `terraformCloud` defaults. */
export function checkTerraformCloudDefaults(value: unknown, problems: EntryProblems): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    problems.error(
      "terraformCloud",
      `must be an object with organization, hostname, project or workspacePrefix; ${got(value)}`,
    );
    return;
  }
  checkTerraformCloudField(problems, "terraformCloud.organization", value.organization, "name");
  checkTerraformCloudField(problems, "terraformCloud.hostname", value.hostname, "hostname");
  checkTerraformCloudField(problems, "terraformCloud.project", value.project, "project");
  checkTerraformCloudField(problems, "terraformCloud.workspacePrefix", value.workspacePrefix, "prefix");
}
