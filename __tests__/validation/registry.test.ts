/**
 * The registry as a whole: its sections and its own settings.
 */
import { problemLines, registryWith } from "./support";
import { minimalRegistry } from "../fixtures/minimal-registry";

describe("valid registries", () => {
  test("the minimal fixture has no problem", () => {
    // GIVEN the fixture every test starts from
    // WHEN it is validated
    const lines = problemLines(minimalRegistry);
    // THEN it is clean, so each test below sees only the problem it makes
    expect(lines).toEqual([]);
  });
});

describe("registry", () => {
  test("rejects a project name that cannot prefix AWS resource names", () => {
    // GIVEN an upper-case project name
    const registry = registryWith((r) => (r.project = "M2M"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the project is reported
    expect(lines).toEqual([
      'error: registry.project: must be lower-case letters and digits in dash-separated words, starting with a letter (it starts every AWS name); got "M2M"',
    ]);
  });

  test("rejects the project name aws, whose KMS aliases AWS reserves", () => {
    // GIVEN project "aws": client keys would get aliases under alias/aws/
    const registry = registryWith((r) => (r.project = "aws"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the project is reported
    expect(lines).toEqual([
      'error: registry.project: must not be "aws" (AWS reserves the alias/aws/ prefix for its own KMS keys); got "aws"',
    ]);
  });

  test("requires at least one environment", () => {
    // GIVEN no environment (and no route or client that names one)
    const registry = registryWith((r) => {
      r.environments = {};
      r.routes = [];
      delete r.tiers.premium.routeThrottles;
      r.clients = [];
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty section is reported
    expect(lines).toEqual(["error: registry.environments: must define at least one environment; got none"]);
  });

  test("requires at least one resource server", () => {
    // GIVEN no resource server (and no route or client that names a scope)
    const registry = registryWith((r) => {
      r.resourceServers = {};
      r.routes = [];
      delete r.tiers.premium.routeThrottles;
      r.clients = [];
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty section is reported
    expect(lines).toEqual(["error: registry.resourceServers: must define at least one resource server; got none"]);
  });

  test("requires at least one tier", () => {
    // GIVEN no tier (and no client to meter)
    const registry = registryWith((r) => {
      r.tiers = {};
      r.clients = [];
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty section is reported
    expect(lines).toEqual(["error: registry.tiers: must define at least one tier; got none"]);
  });
});

describe("registry settings", () => {
  test("rejects additional regions that are not region codes, or that the list already has", () => {
    const registry = registryWith((r) => (r.additionalRegions = ["Europe (Ireland)", "eu-west-1"]));
    expect(problemLines(registry)).toEqual([
      `error: registry.additionalRegions[0]: must be a region code such as "xx-east-1"; got "Europe (Ireland)"`,
      `error: registry.additionalRegions[1]: must name a region model/aws-regions.ts does not list (it lists this one already); got "eu-west-1"`,
    ]);
  });

  test("rejects Terraform Cloud defaults that Terraform Cloud would refuse", () => {
    const registry = registryWith(
      (r) => (r.terraformCloud = { organization: "acme org", project: "M", workspacePrefix: "m2m/" }),
    );
    expect(problemLines(registry)).toEqual([
      `error: registry.terraformCloud.organization: must be 1 to 90 letters, digits, "_" or "-"; got "acme org"`,
      `error: registry.terraformCloud.project: must be 3 to 40 letters, digits, spaces, "-" or "_", not starting or ending with a space (Terraform Cloud's project names); got "M"`,
      `error: registry.terraformCloud.workspacePrefix: must be 1 to 80 letters, digits, "_" or "-" (workspace names are <prefix><env>, at most 90); got "m2m/"`,
    ]);
  });

  test("rejects a project that makes an environment's AWS names too long, once per environment", () => {
    const registry = registryWith((r) => (r.project = "partner-access-platform-for-machine-users"));
    expect(problemLines(registry)).toEqual(
      ["dev", "prod"].map(
        (env) =>
          `error: environments.${env}.name: must keep the AWS names built from the project and this environment within AWS's limits, but the IAM role name "partner-access-platform-for-machine-users-${env}-api-gateway-logging" is ${env === "dev" ? 65 : 66} characters (AWS allows 64): shorten the project, the environment name, its stage or tier names; got "${env}"`,
      ),
    );
  });
});
