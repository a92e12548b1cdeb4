/**
 * Where each environment keeps its state: the local backend when nothing is set, a Terraform Cloud
 * workspace from environment variables or from config (config wins, wholesale), and nothing else in
 * the stack depends on which one was chosen.
 */
import type { Registry, TerraformCloudSettings } from "../config/schema";
import { minimalRegistry } from "./fixtures/minimal-registry";
import { synthEnvironment, type TerraformJson } from "./support/synth";

const PROVIDERS = { aws: { source: "aws", version: "5.100.0" } };

/** The registry with Terraform Cloud settings on one environment. */
function withTerraformCloud(envName: "dev" | "prod", settings: TerraformCloudSettings): Registry {
  const registry = structuredClone(minimalRegistry) as Registry;
  const environments = { ...registry.environments, [envName]: { ...registry.environments[envName], terraformCloud: settings } };
  return { ...registry, environments };
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
        backend: { local: { path: `terraform.${env}.tfstate` } },
        required_providers: PROVIDERS,
      });
    }
  });

  test("is a Terraform Cloud workspace <project>-<env> when TFC_ORGANIZATION is set", () => {
    const { tf } = synthEnvironment(minimalRegistry, "prod", { TFC_ORGANIZATION: "acme-platform" });
    expect(tf.terraform).toEqual({
      cloud: { hostname: "app.terraform.io", organization: "acme-platform", workspaces: { name: "m2m-prod" } },
      required_providers: PROVIDERS,
    });
  });

  test("takes the workspace prefix from TFC_WORKSPACE_PREFIX", () => {
    const { tf } = synthEnvironment(minimalRegistry, "dev", {
      TFC_ORGANIZATION: "acme-platform",
      TFC_WORKSPACE_PREFIX: "partner-access-",
    });
    expect(tf.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme-platform",
      workspaces: { name: "partner-access-dev" },
    });
  });

  test("takes the host from TFC_HOSTNAME (Terraform Enterprise)", () => {
    const { tf } = synthEnvironment(minimalRegistry, "dev", {
      TFC_ORGANIZATION: "acme-platform",
      TFC_HOSTNAME: "tfe.acme.example",
    });
    expect(tf.terraform.cloud).toEqual({
      hostname: "tfe.acme.example",
      organization: "acme-platform",
      workspaces: { name: "m2m-dev" },
    });
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
    expect(blankOrganization.tf.terraform.backend).toEqual({ local: { path: "terraform.dev.tfstate" } });
    expect(blankPrefixAndHost.tf.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme-platform",
      workspaces: { name: "m2m-dev" },
    });
  });

  test("takes config settings over environment variables, host included", () => {
    // GIVEN prod pinned to a workspace in config, and CI variables that say otherwise
    const registry = withTerraformCloud("prod", { organization: "acme-prod", workspace: "partner-access-production" });
    const processEnv = { TFC_ORGANIZATION: "acme-platform", TFC_WORKSPACE_PREFIX: "ci-", TFC_HOSTNAME: "tfe.acme.example" };
    // WHEN both environments are synthesized with those variables
    const prod = synthEnvironment(registry, "prod", processEnv).tf;
    const dev = synthEnvironment(registry, "dev", processEnv).tf;
    // THEN prod uses exactly its config, and dev (no config) uses the variables
    expect(prod.terraform).toEqual({
      cloud: { hostname: "app.terraform.io", organization: "acme-prod", workspaces: { name: "partner-access-production" } },
      required_providers: PROVIDERS,
    });
    expect(dev.terraform.cloud).toEqual({
      hostname: "tfe.acme.example",
      organization: "acme-platform",
      workspaces: { name: "ci-dev" },
    });
  });

  test("takes the host from config when config names one", () => {
    const registry = withTerraformCloud("dev", {
      organization: "acme",
      workspace: "m2m-dev",
      hostname: "tfe.internal.example",
    });
    const { tf } = synthEnvironment(registry, "dev", {});
    expect(tf.terraform.cloud).toEqual({
      hostname: "tfe.internal.example",
      organization: "acme",
      workspaces: { name: "m2m-dev" },
    });
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
