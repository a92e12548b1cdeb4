/**
 * Where each environment keeps its state: the local backend when nothing is set, a Terraform Cloud
 * workspace from environment variables or from config (config wins, wholesale), and nothing else in
 * the stack depends on which one was chosen.
 */
import type { Registry, TerraformCloudSettings } from "../config/schema";
import { readTerraformCloudVariables } from "../config/terraform-cloud-variables";
import { formatProblem } from "../config/problems";
import { describeBackend } from "../config/backend-choice";
import { minimalRegistry } from "./fixtures/minimal-registry";
import { synthEnvironment, type TerraformJson } from "./support/synth";

const PROVIDERS = { aws: { source: "aws", version: "5.100.0" } };

/** The registry with Terraform Cloud settings on one environment. */
function withTerraformCloud(envName: "dev" | "prod", settings: TerraformCloudSettings): Registry {
  const registry = structuredClone(minimalRegistry) as Registry;
  const environments = {
    ...registry.environments,
    [envName]: { ...registry.environments[envName], terraformCloud: settings },
  };
  return { ...registry, environments };
}

/**
 * The `cloud` block synth writes: workspace `name` of `organization` on `hostname`, created in
 * `project` when one is named.
 */
function cloudBlock(organization: string, name: string, where: { hostname?: string; project?: string } = {}) {
  const workspaces = where.project === undefined ? { name } : { name, project: where.project };
  return { hostname: where.hostname ?? "app.terraform.io", organization, workspaces };
}

/** The synthesized JSON without its `terraform` block. */
function withoutTerraformBlock(tf: TerraformJson): Omit<TerraformJson, "terraform"> {
  const { terraform: _terraform, ...rest } = tf;
  return rest;
}

describe("the state backend", () => {
  test("is the local backend with one state file per environment when nothing is set", () => {
    // GIVEN no Terraform Cloud settings in config or environment
    for (const env of ["dev", "prod"]) {
      // WHEN the environment is synthesized
      const { tf } = synthEnvironment(minimalRegistry, env, {});
      // THEN its terraform block names a local state file of its own, and no cloud block
      expect(tf.terraform).toEqual({
        backend: { local: { path: `../../../terraform-state/${env}.tfstate` } },
        required_providers: PROVIDERS,
      });
    }
  });

  test("is a Terraform Cloud workspace <project>-<env> when TFC_ORGANIZATION is set", () => {
    const { tf } = synthEnvironment(minimalRegistry, "prod", { TFC_ORGANIZATION: "acme-platform" });
    expect(tf.terraform).toEqual({
      cloud: cloudBlock("acme-platform", "m2m-prod"),
      required_providers: PROVIDERS,
    });
  });

  test("takes the workspace prefix from TFC_WORKSPACE_PREFIX", () => {
    const { tf } = synthEnvironment(minimalRegistry, "dev", {
      TFC_ORGANIZATION: "acme-platform",
      TFC_WORKSPACE_PREFIX: "partner-access-",
    });
    expect(tf.terraform.cloud).toEqual(cloudBlock("acme-platform", "partner-access-dev"));
  });

  test("takes the host from TFC_HOSTNAME (Terraform Enterprise)", () => {
    const { tf } = synthEnvironment(minimalRegistry, "dev", {
      TFC_ORGANIZATION: "acme-platform",
      TFC_HOSTNAME: "tfe.acme.example",
    });
    expect(tf.terraform.cloud).toEqual(cloudBlock("acme-platform", "m2m-dev", { hostname: "tfe.acme.example" }));
    expect(tf.terraform.backend).toBeUndefined();
  });

  test("treats blank variables as unset, as CI passes an unset repository variable", () => {
    // GIVEN a workflow that maps unset `vars.*` to empty strings
    const blankOrganization = synthEnvironment(minimalRegistry, "dev", {
      TFC_ORGANIZATION: " ",
      TFC_WORKSPACE_PREFIX: "",
      TFC_HOSTNAME: "",
    });
    const blankPrefixAndHost = synthEnvironment(minimalRegistry, "dev", {
      TFC_ORGANIZATION: "acme-platform",
      TFC_WORKSPACE_PREFIX: "",
      TFC_HOSTNAME: "",
    });
    // THEN a blank organization means local state, and a blank prefix or host means the defaults
    expect(blankOrganization.tf.terraform.backend).toEqual({ local: { path: "../../../terraform-state/dev.tfstate" } });
    expect(blankPrefixAndHost.tf.terraform.cloud).toEqual(cloudBlock("acme-platform", "m2m-dev"));
  });

  test("takes config settings over environment variables, host included", () => {
    // GIVEN prod pinned to a workspace in config, and CI variables that say otherwise
    const registry = withTerraformCloud("prod", { organization: "acme-prod", workspace: "partner-access-production" });
    const processEnv = {
      TFC_ORGANIZATION: "acme-platform",
      TFC_WORKSPACE_PREFIX: "ci-",
      TFC_HOSTNAME: "tfe.acme.example",
    };
    // WHEN both environments are synthesized with those variables
    const prod = synthEnvironment(registry, "prod", processEnv).tf;
    const dev = synthEnvironment(registry, "dev", processEnv).tf;
    // THEN prod uses exactly its config, and dev (no config) uses the variables
    expect(prod.terraform).toEqual({
      cloud: cloudBlock("acme-prod", "partner-access-production"),
      required_providers: PROVIDERS,
    });
    expect(dev.terraform.cloud).toEqual(cloudBlock("acme-platform", "ci-dev", { hostname: "tfe.acme.example" }));
  });

  test("takes the host from config when config names one", () => {
    const registry = withTerraformCloud("dev", {
      organization: "acme",
      workspace: "m2m-dev",
      hostname: "tfe.internal.example",
    });
    const { tf } = synthEnvironment(registry, "dev", {});
    expect(tf.terraform.cloud).toEqual(cloudBlock("acme", "m2m-dev", { hostname: "tfe.internal.example" }));
  });

  test("reads Terraform's own TF_CLOUD_ORGANIZATION, TF_CLOUD_HOSTNAME and TF_CLOUD_PROJECT", () => {
    const { tf } = synthEnvironment(minimalRegistry, "dev", {
      TF_CLOUD_ORGANIZATION: "acme-platform",
      TF_CLOUD_HOSTNAME: "tfe.acme.example",
      TF_CLOUD_PROJECT: "Machine Access",
    });
    expect(tf.terraform.cloud).toEqual(
      cloudBlock("acme-platform", "m2m-dev", { hostname: "tfe.acme.example", project: "Machine Access" }),
    );
  });

  test("puts every workspace in the registry's Terraform Cloud project, and an environment's own project wins", () => {
    // GIVEN one project for all environments in the registry, and prod pinned to a workspace in another
    const pinned = withTerraformCloud("prod", { organization: "acme", workspace: "m2m-prod", project: "Production" });
    const registry: Registry = { ...pinned, terraformCloud: { organization: "acme", project: "Machine Access" } };
    // WHEN synthesized, with a variable that names yet another project
    const processEnv = { TF_CLOUD_PROJECT: "Ignored" };
    // THEN dev's workspace is created in the registry's project, prod's in its own
    expect(synthEnvironment(registry, "dev", processEnv).tf.terraform.cloud).toEqual(
      cloudBlock("acme", "m2m-dev", { project: "Machine Access" }),
    );
    expect(synthEnvironment(registry, "prod", processEnv).tf.terraform.cloud).toEqual(
      cloudBlock("acme", "m2m-prod", { project: "Production" }),
    );
  });

  test.each(["dev", "prod"])("changes nothing but the terraform block of the %s stack", (env) => {
    // GIVEN the same environment synthesized for local state and for Terraform Cloud
    const local = synthEnvironment(minimalRegistry, env, {}).tf;
    const cloud = synthEnvironment(minimalRegistry, env, { TFC_ORGANIZATION: "acme-platform" }).tf;
    // THEN the terraform blocks differ, and every resource, data source, provider and output is equal
    expect(local.terraform).not.toEqual(cloud.terraform);
    expect(withoutTerraformBlock(cloud)).toEqual(withoutTerraformBlock(local));
    expect(Object.keys(local.resource).length).toBeGreaterThan(0);
  });
});

describe("Terraform Cloud environment variables", () => {
  test("GIVEN Terraform's name and this project's older name with different values THEN one error line names both", () => {
    const { variables, problems } = readTerraformCloudVariables({
      TF_CLOUD_ORGANIZATION: "acme",
      TFC_ORGANIZATION: "globex",
      TFC_PROJECT: "Machine Access",
      TF_CLOUD_PROJECT: " Machine Access ",
    });
    expect(problems.map(formatProblem)).toEqual([
      'error: environment.TF_CLOUD_ORGANIZATION: must agree with TFC_ORGANIZATION when both are set (they name one setting); got "acme" and TFC_ORGANIZATION="globex"',
    ]);
    expect(variables).toEqual({
      organization: "acme",
      hostname: undefined,
      project: "Machine Access",
      workspacePrefix: undefined,
    });
  });
});

describe("what synth says about each stack's backend", () => {
  test.each([
    [{ kind: "local", path: "../../../terraform-state/dev.tfstate" }, "local state terraform-state/dev.tfstate"],
    [
      {
        kind: "cloud",
        hostname: "app.terraform.io",
        organization: "acme",
        workspace: "m2m-prod",
        project: "Machine Access",
      },
      'Terraform Cloud app.terraform.io/acme/m2m-prod (project "Machine Access")',
    ],
    [
      { kind: "cloud", hostname: "tfe.acme.example", organization: "acme", workspace: "m2m-dev", project: undefined },
      "Terraform Cloud tfe.acme.example/acme/m2m-dev (the default project)",
    ],
  ] as const)("%j reads %j", (choice, line) => {
    expect(describeBackend(choice)).toBe(line);
  });
});
