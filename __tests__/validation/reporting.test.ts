/**
 * How the validator reports: every problem at once, in registry order, one line each, never a throw.
 */
import { TODAY, captureError, problemLines, registryWith } from "./support";
import { formatProblem, hasErrors, type ConfigProblem } from "../../config/problems";
import type { Registry } from "../../config/schema";
import { ConfigValidationError, assertValidRegistry, validateRegistry } from "../../config/validate";

describe("reporting", () => {
  test("reports every mistake of a registry at once, in registry order", () => {
    // GIVEN mistakes in every section, written in reverse order
    const registry = registryWith((r) => {
      r.clients[1].tier = "gold";
      r.clients[0].accessTokenValidityMinutes = 2;
      r.tiers.basic.quota.period = "YEAR";
      r.routes[0].method = "FETCH";
      r.resourceServers.orders.name = "";
      r.environments.prod.region = "eu-west";
      r.project = "M2M";
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN all are reported: project, environments, resource servers, routes, tiers, clients
    expect(lines).toEqual([
      'error: registry.project: must be lower-case letters and digits in dash-separated words, starting with a letter (it starts every AWS name); got "M2M"',
      `error: environments.prod.region: must be an AWS region such as "eu-west-1", one of those in model/aws-regions.ts (a region newer than that list goes in the registry's additionalRegions); got "eu-west"`,
      `error: resourceServers.orders.name: must be a display name of 1 to 256 letters, digits, spaces and "_ + = , . @ -" (Cognito's name characters); got ""`,
      'error: routes["FETCH /whoami"].method: must be one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"; got "FETCH"',
      'error: tiers.basic.quota.period: must be one of "DAY", "WEEK", "MONTH"; got "YEAR"',
      'error: clients["acme-billing"].accessTokenValidityMinutes: must be a whole number from 5 to 1440 (Cognito\'s 5 minutes to 1 day); got 2',
      'error: clients["globex-orders"].tier: must be one of "basic", "premium"; got "gold"',
    ]);
  });

  test("reports garbage values as problems instead of throwing", () => {
    // GIVEN wrong types and missing fields all over the registry
    const registry = {
      project: 42,
      environments: { dev: null, prod: { region: ["eu-west-1"], protected: true, cognitoDomainPrefix: 7 } },
      resourceServers: { orders: { name: "Orders", scopes: ["read"] } },
      routes: [
        "GET /orders",
        { method: "GET", path: 5, scopes: "orders/read", integration: { type: "http-proxy", url: null } },
      ],
      tiers: { basic: { description: "Trials", throttle: { rateLimit: "5" }, quota: null, routeThrottles: [] } },
      clients: [undefined, { key: "acme", tier: 1, scopes: "orders/read", environments: null, expires: 20270101 }],
    } as unknown as Registry;
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN each bad value is one line
    expect(lines).toEqual([
      "error: registry.project: must be lower-case letters and digits in dash-separated words, starting with a letter (it starts every AWS name); got 42",
      "error: environments.dev: must be an object with region, stageName, protected and cognitoDomainPrefix; got null",
      `error: environments.prod.region: must be an AWS region such as "eu-west-1", one of those in model/aws-regions.ts (a region newer than that list goes in the registry's additionalRegions); got a list`,
      'error: environments.prod.stageName: must be 1 to 128 letters, digits, "_" or "-"; got undefined',
      "error: environments.prod.cognitoDomainPrefix: must be 1 to 63 lower-case letters, digits or hyphens, not starting or ending with a hyphen; got 7",
      "error: resourceServers.orders.scopes: must be an object mapping scope names to descriptions; got a list",
      'error: routes[0]: must be an object with method, path, scopes and integration; got "GET /orders"',
      'error: routes[1].path: must be a path such as "/orders/{orderId}"; got 5',
      'error: routes[1].scopes: must be a list of scopes (an empty list admits any valid token); got "orders/read"',
      "error: routes[1].integration.url: must be an object mapping each environment to an https:// URL; got null",
      'error: tiers.basic.throttle.rateLimit: must be a number greater than 0 and at most 10000 (API Gateway\'s account default); got "5"',
      "error: tiers.basic.throttle.burstLimit: must be a whole number from 1 to 5000 (API Gateway's account default); got undefined",
      "error: tiers.basic.quota: must be an object with limit and period; got null",
      'error: tiers.basic.routeThrottles: must be an object keyed by route, such as "POST /orders"; got []',
      "error: clients[0]: must be an object with key, description, owner, tier, scopes and environments; got undefined",
      'error: clients["acme"].description: must be a non-empty string; got undefined',
      'error: clients["acme"].owner: must be a non-empty string; got undefined',
      'error: clients["acme"].tier: must be one of "basic"; got 1',
      'error: clients["acme"].scopes: must be a list of scopes; got "orders/read"',
      'error: clients["acme"].environments: must be a list of environment names; got null',
      'error: clients["acme"].expires: must be a real date written YYYY-MM-DD; got 20270101',
    ]);
  });

  test.each([null, "registry", []])("reports a registry that is not an object (%p)", (value) => {
    // GIVEN something that is not a registry at all
    const registry = value as unknown as Registry;
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN one line says so
    expect(lines).toEqual([
      `error: registry: must be an object with environments, resourceServers, routes, tiers and clients; got ${
        value === null ? "null" : Array.isArray(value) ? "[]" : JSON.stringify(value)
      }`,
    ]);
  });

  test("formats a problem as severity, entry, field and message on one line", () => {
    // GIVEN a problem record
    const problem: ConfigProblem = {
      severity: "error",
      entry: 'clients["acme-billing"]',
      field: "tier",
      message: 'must be one of "bronze", "silver", "gold"; got "platinum"',
    };
    // WHEN it is formatted
    const line = formatProblem(problem);
    // THEN it reads as the brief shows
    expect(line).toBe('error: clients["acme-billing"].tier: must be one of "bronze", "silver", "gold"; got "platinum"');
  });

  test("hasErrors ignores warnings", () => {
    // GIVEN one warning, then the same with an error
    const warning: ConfigProblem = { severity: "warning", entry: "e", field: "f", message: "m" };
    const error: ConfigProblem = { ...warning, severity: "error" };
    // WHEN / THEN only the error counts
    expect([hasErrors([warning]), hasErrors([warning, error])]).toEqual([false, true]);
  });

  test("assertValidRegistry throws every problem, warnings included, in one error", () => {
    // GIVEN an error and a warning
    const registry = registryWith((r) => {
      r.clients[0].tier = "platinum";
      r.clients[1].expires = "2026-12-01";
    });
    // WHEN it is asserted
    const thrown = captureError(() => assertValidRegistry(registry, { today: TODAY }));
    // THEN the error carries both problems, and its message is their lines
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    const error = thrown as ConfigValidationError;
    expect(error.problems.map((problem) => problem.severity)).toEqual(["error", "warning"]);
    expect(error.message).toBe(
      [
        'error: clients["acme-billing"].tier: must be one of "basic", "premium"; got "platinum"',
        'warning: clients["globex-orders"].expires: expires on 2026-12-01, in 5 days: renew it (move `expires` forward) or plan the client\'s removal',
      ].join("\n"),
    );
  });

  test("assertValidRegistry returns the warnings of a registry without errors", () => {
    // GIVEN a client that expires in 5 days
    const registry = registryWith((r) => (r.clients[1].expires = "2026-12-01"));
    // WHEN it is asserted
    const warnings = assertValidRegistry(registry, { today: TODAY });
    // THEN the warning comes back
    expect(warnings.map(formatProblem)).toEqual([
      'warning: clients["globex-orders"].expires: expires on 2026-12-01, in 5 days: renew it (move `expires` forward) or plan the client\'s removal',
    ]);
  });

  describe("without a today option", () => {
    beforeEach(() => jest.useFakeTimers({ now: new Date("2026-11-26T23:30:00Z") }));
    afterEach(() => jest.useRealTimers());

    test("judges expiry against the current UTC date", () => {
      // GIVEN a client whose last day was yesterday in UTC
      const registry = registryWith((r) => (r.clients[0].expires = "2026-11-25"));
      // WHEN it is validated without options
      const lines = validateRegistry(registry).map(formatProblem);
      // THEN it has expired
      expect(lines).toEqual([
        'error: clients["acme-billing"].expires: expired on 2026-11-25: renew it (move `expires` forward) or remove the client',
      ]);
    });
  });
});

describe("everything AWS or Terraform would refuse, in one registry", () => {
  test("is reported all at once, one named line each, in registry order", () => {
    const longKey = `acme-${"billing-".repeat(16)}x`;
    const registry = registryWith((r) => {
      r.additionalRegions = ["eu-west-1"];
      r.terraformCloud = { project: "M" };
      r.environments.dev.region = "eu-fake-9";
      r.environments.dev.account = "111111111111";
      r.environments.prod.account = "111111111111";
      r.environments.prod.region = "eu-fake-9";
      r.resourceServers.orders.name = "Orders (v2)";
      r.tiers["gold tier"] = structuredClone(r.tiers.basic);
      r.tiers.basic.quota.limit = 2_147_483_648;
      r.tiers.premium.routeThrottles["POST /orders"].burstLimit = 5_001;
      r.clients[0].key = longKey;
      r.clients[0].owner = "Team Billing (EU)";
      r.clients[1].description = "d".repeat(2050);
    });
    expect(problemLines(registry)).toEqual([
      `error: registry.additionalRegions[0]: must name a region model/aws-regions.ts does not list (it lists this one already); got "eu-west-1"`,
      `error: registry.terraformCloud.project: must be 3 to 40 letters, digits, spaces, "-" or "_", not starting or ending with a space (Terraform Cloud's project names); got "M"`,
      `error: environments.dev.region: must be an AWS region such as "eu-west-1", one of those in model/aws-regions.ts (a region newer than that list goes in the registry's additionalRegions); got "eu-fake-9"`,
      `error: environments.prod.region: must be an AWS region such as "eu-west-1", one of those in model/aws-regions.ts (a region newer than that list goes in the registry's additionalRegions); got "eu-fake-9"`,
      "error: environments.prod.manageApiGatewayAccount: must be false: environments.dev already manages API Gateway's CloudWatch role for account 111111111111 in eu-fake-9, and two stacks managing that one setting overwrite each other (destroying either breaks the other's access logs); got true (the default)",
      `error: resourceServers.orders.name: must be a display name of 1 to 256 letters, digits, spaces and "_ + = , . @ -" (Cognito's name characters); got "Orders (v2)"`,
      `error: tiers.basic.quota.limit: must be a whole number from 1 to 2,147,483,647 (API Gateway keeps it as a 32-bit integer); got 2147483648`,
      `error: tiers.premium.routeThrottles["POST /orders"].burstLimit: must be a whole number from 1 to 5000 (API Gateway's account default); got 5001`,
      `error: tiers["gold tier"].name: must be lower-case letters and digits in dash-separated words, starting with a letter (it becomes a Terraform address, the usage plan's name and a tag); got "gold tier"`,
      `error: clients["${longKey}"].owner: must be letters, digits, spaces and "_ . : / = + - @" only (it becomes the m2m:owner tag, and AWS tags allow no other characters); got "Team Billing (EU)"`,
      `error: clients["globex-orders"].description: must be at most 2,004 characters (the credentials secret's description is "OAuth2 client credentials of globex-orders: " and this, and Secrets Manager allows 2,048); got 2,050 characters`,
      `error: clients["${longKey}"].key: must keep the AWS names built from it within AWS's limits, but the Cognito app client name "${longKey}" is 134 characters (AWS allows 128): shorten the key; got 134 characters`,
    ]);
  });
});
