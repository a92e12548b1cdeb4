import defaultRegistry from "../config/registry";
import type { Registry } from "../config/schema";
import {
  ConfigValidationError,
  assertValidRegistry,
  formatProblem,
  hasErrors,
  validateRegistry,
  type ConfigProblem,
} from "../config/validate";
import { minimalRegistry } from "./fixtures/minimal-registry";

const TODAY = new Date("2026-11-26");

/**
 * A deep copy of the valid fixture, changed by `change`. The draft is untyped on purpose: the
 * validator must cope with whatever a JS module or an `as any` hands it.
 */
function registryWith(change: (draft: any) => void): Registry {
  const draft: unknown = structuredClone(minimalRegistry);
  change(draft);
  return draft as Registry;
}

function problemLines(registry: Registry): string[] {
  return validateRegistry(registry, { today: TODAY }).map(formatProblem);
}

/** An environment that differs from the fixture's in its domain prefix only. */
function environmentNamed(prefix: string): Record<string, unknown> {
  return { region: "eu-west-1", stageName: "v1", protected: false, cognitoDomainPrefix: prefix };
}

/** Adds an environment, with the upstream URL every http-proxy route needs for it. */
function addEnvironment(draft: any, name: string, environment: Record<string, unknown>): void {
  draft.environments[name] = environment;
  for (const route of draft.routes) {
    if (route.integration.type === "http-proxy") route.integration.url[name] = `https://${name}.example.com/x`;
  }
}

/** A route with a mock integration, so that only its method, path and scopes can be wrong. */
function mockRoute(method: string, path: string, scopes: string[] = ["orders/read"]): Record<string, unknown> {
  return { method, path, scopes, integration: { type: "mock" } };
}

describe("valid registries", () => {
  test("the default registry has no problem", () => {
    // GIVEN the registry `npm run synth` deploys
    // WHEN it is validated
    const problems = validateRegistry(defaultRegistry, { today: TODAY });
    // THEN there is neither error nor warning
    expect(problems.map(formatProblem)).toEqual([]);
  });

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
      'error: registry.project: must be 1 to 16 lower-case letters, digits or dashes, starting with a letter (it prefixes AWS resource names); got "M2M"',
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

describe("environments", () => {
  test("rejects an environment name that cannot be a stack name", () => {
    // GIVEN an environment named with a capital and a dash
    const registry = registryWith((r) => addEnvironment(r, "Qa-1", environmentNamed("test-m2m-qa")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the name is reported
    expect(lines).toEqual([
      'error: environments["Qa-1"].name: must be 1 to 16 lower-case letters or digits, starting with a letter (it becomes a Terraform stack name and part of AWS resource names); got "Qa-1"',
    ]);
  });

  test("rejects a region that is not an AWS region name", () => {
    // GIVEN a region written as in the console's menu
    const registry = registryWith((r) => (r.environments.dev.region = "Europe (Ireland)"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the region is reported
    expect(lines).toEqual([
      'error: environments.dev.region: must be an AWS region such as "eu-west-1"; got "Europe (Ireland)"',
    ]);
  });

  test("rejects an account id that is not 12 digits", () => {
    // GIVEN an account id that lost its leading zeros by being written as a number
    const registry = registryWith((r) => (r.environments.dev.account = 12345678901));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the account is reported
    expect(lines).toEqual([
      "error: environments.dev.account: must be a 12-digit AWS account id, as a string; got 12345678901",
    ]);
  });

  test("rejects a stage name API Gateway does not accept", () => {
    // GIVEN a stage name with a space
    const registry = registryWith((r) => (r.environments.dev.stageName = "v 1"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the stage name is reported
    expect(lines).toEqual([
      'error: environments.dev.stageName: must be 1 to 128 letters, digits, "_" or "-"; got "v 1"',
    ]);
  });

  test("rejects a protected flag that is not a boolean", () => {
    // GIVEN `protected` written as a string
    const registry = registryWith((r) => (r.environments.prod.protected = "yes"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the flag is reported
    expect(lines).toEqual(['error: environments.prod.protected: must be true or false; got "yes"']);
  });

  test("rejects a Cognito domain prefix that is not a lower-case host label", () => {
    // GIVEN a prefix that starts with a hyphen
    const registry = registryWith((r) => (r.environments.dev.cognitoDomainPrefix = "-m2m-dev"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the prefix is reported
    expect(lines).toEqual([
      'error: environments.dev.cognitoDomainPrefix: must be 1 to 63 lower-case letters, digits or hyphens, not starting or ending with a hyphen; got "-m2m-dev"',
    ]);
  });

  test("rejects a Cognito domain prefix that contains a word Cognito reserves", () => {
    // GIVEN a prefix containing "cognito"
    const registry = registryWith((r) => (r.environments.dev.cognitoDomainPrefix = "acme-cognito-dev"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the prefix is reported
    expect(lines).toEqual([
      'error: environments.dev.cognitoDomainPrefix: must not contain "aws", "amazon" or "cognito" (Cognito reserves them); got "acme-cognito-dev"',
    ]);
  });

  test("rejects a domain prefix that another environment already uses in the same region", () => {
    // GIVEN prod with dev's prefix, both in eu-west-1
    const registry = registryWith((r) => (r.environments.prod.cognitoDomainPrefix = "test-m2m-dev"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later environment is reported
    expect(lines).toEqual([
      'error: environments.prod.cognitoDomainPrefix: must be unique within a region, but environments.dev already uses it in "eu-west-1"; got "test-m2m-dev"',
    ]);
  });

  test("accepts the same domain prefix in different regions", () => {
    // GIVEN prod with dev's prefix, but in another region
    const registry = registryWith((r) => {
      r.environments.prod.cognitoDomainPrefix = "test-m2m-dev";
      r.environments.prod.region = "us-east-1";
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN nothing is reported: Cognito domains are unique per region
    expect(lines).toEqual([]);
  });

  test("rejects a log retention CloudWatch does not offer", () => {
    // GIVEN a retention of 10 days
    const registry = registryWith((r) => (r.environments.dev.logRetentionDays = 10));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the retention is reported with the allowed values
    expect(lines).toEqual([
      "error: environments.dev.logRetentionDays: must be one of CloudWatch's retention periods 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 10",
    ]);
  });

  test("rejects an authorizer cache TTL beyond API Gateway's limit", () => {
    // GIVEN a two-hour cache
    const registry = registryWith((r) => (r.environments.prod.authorizerCacheTtlSeconds = 7200));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the TTL is reported
    expect(lines).toEqual([
      "error: environments.prod.authorizerCacheTtlSeconds: must be a whole number from 0 to 3600 (API Gateway's limit); got 7200",
    ]);
  });

  test("rejects an authorizer cache TTL that outlives the environment's shortest access token", () => {
    // GIVEN an hour of cache in dev, where globex-orders' tokens last 30 minutes and acme-billing's 60
    const registry = registryWith((r) => (r.environments.dev.authorizerCacheTtlSeconds = 3600));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the TTL is reported, naming the client with the shortest tokens
    expect(lines).toEqual([
      'error: environments.dev.authorizerCacheTtlSeconds: must not outlive the shortest access token of the environment: at most 1800 (clients["globex-orders"] has 30-minute tokens); got 3600',
    ]);
  });

  test.each([
    ["organization", { organization: "acme corp", workspace: "m2m-prod" }, '"acme corp"'],
    ["workspace", { organization: "acme", workspace: "m2m/prod" }, '"m2m/prod"'],
  ])("rejects a Terraform Cloud %s name that Terraform Cloud does not accept", (field, settings, given) => {
    // GIVEN a name with a character Terraform Cloud refuses
    const registry = registryWith((r) => (r.environments.prod.terraformCloud = settings));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the name is reported
    expect(lines).toEqual([
      `error: environments.prod.terraformCloud.${field}: must be 1 to 90 letters, digits, "_" or "-"; got ${given}`,
    ]);
  });

  test("rejects a Terraform Cloud host name written as a URL", () => {
    // GIVEN a host name with its scheme
    const registry = registryWith(
      (r) =>
        (r.environments.prod.terraformCloud = {
          organization: "acme",
          workspace: "m2m-prod",
          hostname: "https://tfe.acme.example",
        }),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the host name is reported
    expect(lines).toEqual([
      'error: environments.prod.terraformCloud.hostname: must be a host name such as "app.terraform.io", without scheme or path; got "https://tfe.acme.example"',
    ]);
  });

  test("rejects two environments that keep their state in the same Terraform Cloud workspace", () => {
    // GIVEN dev and prod pointed at one workspace (the default host and an explicit one are the same)
    const registry = registryWith((r) => {
      r.environments.dev.terraformCloud = { organization: "acme", workspace: "m2m" };
      r.environments.prod.terraformCloud = { organization: "acme", workspace: "m2m", hostname: "app.terraform.io" };
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later environment is reported
    expect(lines).toEqual([
      'error: environments.prod.terraformCloud.workspace: must differ from every other environment\'s (one state per workspace), but environments.dev already uses "acme/m2m" on app.terraform.io; got "m2m"',
    ]);
  });
});

describe("resource servers", () => {
  test("rejects an identifier that cannot prefix a scope", () => {
    // GIVEN a resource server keyed with a capital
    const registry = registryWith(
      (r) => (r.resourceServers.Billing = { name: "Billing", scopes: { read: "Read bills" } }),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the identifier is reported
    expect(lines).toEqual([
      'error: resourceServers.Billing.identifier: must be 1 to 64 lower-case letters, digits or dashes, starting with a letter (it prefixes every scope); got "Billing"',
    ]);
  });

  test("rejects an empty display name", () => {
    // GIVEN a blank name
    const registry = registryWith((r) => (r.resourceServers.orders.name = " "));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the name is reported
    expect(lines).toEqual([
      'error: resourceServers.orders.name: must be a non-empty display name of at most 256 characters; got " "',
    ]);
  });

  test("requires at least one scope", () => {
    // GIVEN a resource server without scopes
    const registry = registryWith((r) => (r.resourceServers.billing = { name: "Billing", scopes: {} }));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty scope list is reported
    expect(lines).toEqual(["error: resourceServers.billing.scopes: must define at least one scope; got none"]);
  });

  test("rejects a scope name Cognito would not accept as written", () => {
    // GIVEN a scope name with a space
    const registry = registryWith((r) => (r.resourceServers.orders.scopes["read all"] = "Read every order"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the scope name is reported
    expect(lines).toEqual([
      'error: resourceServers.orders.scopes["read all"]: scope name must be 1 to 64 lower-case letters, digits, "_", "." or "-", starting with a letter; got "read all"',
    ]);
  });

  test("rejects an empty scope description", () => {
    // GIVEN a scope without description
    const registry = registryWith((r) => (r.resourceServers.orders.scopes.write = ""));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the description is reported
    expect(lines).toEqual([
      'error: resourceServers.orders.scopes.write: must be a non-empty description of at most 256 characters; got ""',
    ]);
  });
});

describe("routes", () => {
  test("rejects an unknown HTTP method", () => {
    // GIVEN a route with a made-up method
    const registry = registryWith((r) => r.routes.push(mockRoute("FETCH", "/orders")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the method is reported
    expect(lines).toEqual([
      'error: routes["FETCH /orders"].method: must be one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"; got "FETCH"',
    ]);
  });

  test.each([
    ["orders/{orderId}/lines", 'must start with "/"'],
    ["/orders/", 'must not end with "/"'],
    ["/orders//lines", 'must not contain an empty segment ("//")'],
    ["/orders/{proxy+}", 'must not use a greedy parameter such as "{proxy+}" (not supported)'],
    ["/orders/{1st}", 'parameter "{1st}" must be named with letters, digits and "_", not starting with a digit'],
    ["/orders/open orders", 'segment "open orders" must be letters, digits, ".", "_" and "-", or a {param}'],
    ["/orders/{orderId}/lines/{orderId}", "must not repeat the parameter {orderId}"],
  ])("rejects the path %j", (path, expected) => {
    // GIVEN a route with a malformed path
    const registry = registryWith((r) => r.routes.push(mockRoute("PUT", path)));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the path is reported with what is wrong with it
    expect(lines).toEqual([
      `error: routes[${JSON.stringify(`PUT ${path}`)}].path: ${expected}; got ${JSON.stringify(path)}`,
    ]);
  });

  test("accepts the root path", () => {
    // GIVEN a route on the API's root resource
    const registry = registryWith((r) => r.routes.push(mockRoute("GET", "/")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN nothing is reported
    expect(lines).toEqual([]);
  });

  test("rejects a route that API Gateway would match like an earlier one, whatever its parameter is called", () => {
    // GIVEN GET /orders/{id} next to GET /orders/{orderId}
    const registry = registryWith((r) => r.routes.push(mockRoute("GET", "/orders/{id}")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later route is reported
    expect(lines).toEqual([
      'error: routes["GET /orders/{id}"].path: must differ from routes["GET /orders/{orderId}"] in method or path (parameter names do not count); got "/orders/{id}"',
    ]);
  });

  test("rejects a path whose Terraform name another path already has", () => {
    // GIVEN a literal segment "_orderId_" beside the {orderId} parameter: both map to "orders___orderId_"
    const registry = registryWith((r) => r.routes.push(mockRoute("GET", "/orders/_orderId_")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later route is reported, since its resources would overwrite the earlier route's
    expect(lines).toEqual([
      'error: routes["GET /orders/_orderId_"].path: must not map to the Terraform name "orders___orderId_" that routes["GET /orders/{orderId}"] already uses (rename a segment); got "/orders/_orderId_"',
    ]);
  });

  test("warns when the authorizer's policy cannot keep two {param} routes apart", () => {
    // GIVEN GET /{tenant}/orders (orders/write) beside GET /orders/{orderId} (orders/read): each ARN
    // pattern matches the other's requests, since IAM's * crosses "/"
    const registry = registryWith((r) => r.routes.push(mockRoute("GET", "/{tenant}/orders", ["orders/write"])));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN both directions are warned about; the registry still synthesizes (the authorizer fails closed)
    expect(lines).toEqual([
      "warning: routes: the authorizer's policy cannot keep these routes apart: GET /orders/{orderId} reaches GET /{tenant}/orders, whose Deny reaches GET /orders/{orderId}, so a token allowed the last may be refused it (make the {param} segment a literal or move the route)",
      "warning: routes: the authorizer's policy cannot keep these routes apart: GET /{tenant}/orders reaches GET /orders/{orderId}, whose Deny reaches GET /{tenant}/orders, so a token allowed the last may be refused it (make the {param} segment a literal or move the route)",
    ]);
  });

  test("names a route configured twice by its position", () => {
    // GIVEN POST /orders twice
    const registry = registryWith((r) => r.routes.push(mockRoute("POST", "/orders", ["orders/write"])));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the second is reported under its index, since both share one name
    expect(lines).toEqual([
      'error: routes[3] ("POST /orders").path: must differ from routes["POST /orders"] in method or path (parameter names do not count); got "/orders"',
    ]);
  });

  test("rejects a parameter named differently from its siblings' at the same place", () => {
    // GIVEN DELETE /orders/{id} next to GET /orders/{orderId}
    const registry = registryWith((r) => r.routes.push(mockRoute("DELETE", "/orders/{id}", ["orders/write"])));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later route is reported
    expect(lines).toEqual([
      'error: routes["DELETE /orders/{id}"].path: must call the parameter at segment 2 {orderId}, as routes["GET /orders/{orderId}"] does (API Gateway cannot have sibling {orderId} and {id} resources); got "/orders/{id}"',
    ]);
  });

  test("rejects a scope no resource server defines", () => {
    // GIVEN a route demanding an undefined scope
    const registry = registryWith((r) => r.routes.push(mockRoute("PATCH", "/orders/{orderId}", ["orders/update"])));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the scope is reported with the defined ones
    expect(lines).toEqual([
      'error: routes["PATCH /orders/{orderId}"].scopes[0]: must be one of "orders/read", "orders/write"; got "orders/update"',
    ]);
  });

  test("rejects a scope listed twice", () => {
    // GIVEN a route demanding orders/write twice
    const registry = registryWith((r) => (r.routes[2].scopes = ["orders/write", "orders/write"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the repeat is reported
    expect(lines).toEqual(['error: routes["POST /orders"].scopes[1]: must not repeat scopes[0]; got "orders/write"']);
  });

  test("rejects an upstream URL that is not absolute https", () => {
    // GIVEN a plain-http upstream in dev
    const registry = registryWith(
      (r) => (r.routes[1].integration.url.dev = "http://orders.dev.example.com/orders/{orderId}"),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the URL is reported
    expect(lines).toEqual([
      'error: routes["GET /orders/{orderId}"].integration.url.dev: must be an absolute https:// URL (every environment needs one); got "http://orders.dev.example.com/orders/{orderId}"',
    ]);
  });

  test("requires an upstream URL for every environment", () => {
    // GIVEN no upstream for prod
    const registry = registryWith((r) => delete r.routes[1].integration.url.prod);
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the missing URL is reported
    expect(lines).toEqual([
      'error: routes["GET /orders/{orderId}"].integration.url.prod: must be an absolute https:// URL (every environment needs one); got undefined',
    ]);
  });

  test("rejects an upstream URL for an environment that does not exist", () => {
    // GIVEN an upstream for "qa", which is not an environment
    const registry = registryWith(
      (r) => (r.routes[1].integration.url.qa = "https://orders.qa.example.com/orders/{orderId}"),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the extra URL is reported
    expect(lines).toEqual([
      'error: routes["GET /orders/{orderId}"].integration.url.qa: must be one of "dev", "prod"; got "qa"',
    ]);
  });

  test("rejects an upstream URL parameter the path does not have", () => {
    // GIVEN an upstream that uses {id} on a path with {orderId}
    const registry = registryWith(
      (r) => (r.routes[1].integration.url.dev = "https://orders.dev.example.com/orders/{id}"),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the parameter is reported with the ones the path has
    expect(lines).toEqual([
      'error: routes["GET /orders/{orderId}"].integration.url.dev: may only use the path\'s parameters {orderId}; got {id} in "https://orders.dev.example.com/orders/{id}"',
    ]);
  });

  test("rejects a Lambda function that functions/ does not provide", () => {
    // GIVEN a lambda integration naming an unknown handler
    const registry = registryWith((r) => (r.routes[0].integration.function = "hello"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the function is reported
    expect(lines).toEqual(['error: routes["GET /whoami"].integration.function: must be one of "whoami"; got "hello"']);
  });

  test("rejects a mock status code outside 200 to 599", () => {
    // GIVEN a mock answering 700
    const registry = registryWith((r) => (r.routes[2].integration.statusCode = 700));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the status code is reported
    expect(lines).toEqual([
      'error: routes["POST /orders"].integration.statusCode: must be a whole number from 200 to 599; got 700',
    ]);
  });

  test("rejects an unknown integration type", () => {
    // GIVEN an integration type that does not exist
    const registry = registryWith((r) => (r.routes[2].integration = { type: "http" }));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the type is reported
    expect(lines).toEqual([
      'error: routes["POST /orders"].integration.type: must be one of "http-proxy", "lambda", "mock"; got "http"',
    ]);
  });
});

describe("tiers", () => {
  test("rejects an empty description", () => {
    // GIVEN a tier without description
    const registry = registryWith((r) => (r.tiers.basic.description = ""));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the description is reported
    expect(lines).toEqual(['error: tiers.basic.description: must be a non-empty string; got ""']);
  });

  test("rejects a rate limit that is not above 0 and within the account default", () => {
    // GIVEN a rate limit of 0
    const registry = registryWith((r) => (r.tiers.basic.throttle.rateLimit = 0));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the rate limit is reported
    expect(lines).toEqual([
      "error: tiers.basic.throttle.rateLimit: must be a number greater than 0 and at most 10000 (API Gateway's account default); got 0",
    ]);
  });

  test("rejects a burst limit that is not a whole number from 1 to 5000", () => {
    // GIVEN a fractional burst
    const registry = registryWith((r) => (r.tiers.basic.throttle.burstLimit = 10.5));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the burst limit is reported
    expect(lines).toEqual([
      "error: tiers.basic.throttle.burstLimit: must be a whole number from 1 to 5000 (API Gateway's account default); got 10.5",
    ]);
  });

  test("rejects a quota limit below 1", () => {
    // GIVEN a quota of 0 requests
    const registry = registryWith((r) => (r.tiers.basic.quota.limit = 0));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the limit is reported
    expect(lines).toEqual(["error: tiers.basic.quota.limit: must be a whole number of at least 1; got 0"]);
  });

  test("rejects a quota period API Gateway does not know", () => {
    // GIVEN a yearly quota
    const registry = registryWith((r) => (r.tiers.basic.quota.period = "YEAR"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the period is reported
    expect(lines).toEqual(['error: tiers.basic.quota.period: must be one of "DAY", "WEEK", "MONTH"; got "YEAR"']);
  });

  test("rejects a route throttle for a route that is not configured", () => {
    // GIVEN a route throttle keyed by a path with a typo
    const registry = registryWith(
      (r) => (r.tiers.premium.routeThrottles = { "POST /order": { rateLimit: 1, burstLimit: 1 } }),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the key is reported
    expect(lines).toEqual([
      'error: tiers.premium.routeThrottles["POST /order"]: must name a configured route, method and path exactly as in routes; got "POST /order"',
    ]);
  });

  test("checks a route throttle's limits like the tier's", () => {
    // GIVEN a negative rate on one route
    const registry = registryWith((r) => (r.tiers.premium.routeThrottles["POST /orders"].rateLimit = -1));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the route's rate limit is reported
    expect(lines).toEqual([
      'error: tiers.premium.routeThrottles["POST /orders"].rateLimit: must be a number greater than 0 and at most 10000 (API Gateway\'s account default); got -1',
    ]);
  });

  test("rejects a route throttle looser than the tier's own", () => {
    // GIVEN a route burst above the tier's burst of 100
    const registry = registryWith((r) => (r.tiers.premium.routeThrottles["POST /orders"].burstLimit = 200));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the route's burst limit is reported
    expect(lines).toEqual([
      'error: tiers.premium.routeThrottles["POST /orders"].burstLimit: must not exceed the tier\'s throttle.burstLimit, 100; got 200',
    ]);
  });
});

describe("clients", () => {
  test.each([
    ["Acme Billing", "a capital and a space"],
    ["acme--billing", "an empty word"],
    ["a".repeat(41), "41 characters"],
  ])("rejects the key %j (%s) and names the client by position", (key) => {
    // GIVEN a malformed key
    const registry = registryWith((r) => (r.clients[0].key = key));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the key is reported on the entry named by index and key
    expect(lines).toEqual([
      `error: clients[0] (${JSON.stringify(
        key,
      )}).key: must be lower-case letters and digits in dash-separated words, starting with a letter, at most 40 characters; got ${JSON.stringify(
        key,
      )}`,
    ]);
  });

  test("rejects a key used twice, on the second client", () => {
    // GIVEN globex-orders renamed to acme-billing
    const registry = registryWith((r) => (r.clients[1].key = "acme-billing"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the second is reported, naming the first by position
    expect(lines).toEqual([
      'error: clients[1] ("acme-billing").key: must be unique, but clients[0] has the same key; got "acme-billing"',
    ]);
  });

  test.each(["description", "owner"])("requires a non-empty %s", (field) => {
    // GIVEN a blank field
    const registry = registryWith((r) => (r.clients[0][field] = "   "));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the field is reported
    expect(lines).toEqual([`error: clients["acme-billing"].${field}: must be a non-empty string; got "   "`]);
  });

  test("rejects a tier that is not defined", () => {
    // GIVEN an unknown tier
    const registry = registryWith((r) => (r.clients[0].tier = "platinum"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the tier is reported with the defined ones
    expect(lines).toEqual(['error: clients["acme-billing"].tier: must be one of "basic", "premium"; got "platinum"']);
  });

  test("requires at least one scope", () => {
    // GIVEN a client with no scope
    const registry = registryWith((r) => (r.clients[0].scopes = []));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty list is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].scopes: must list at least one scope (Cognito grants client_credentials only with a scope); got []',
    ]);
  });

  test("rejects a scope no resource server defines", () => {
    // GIVEN an undefined scope
    const registry = registryWith((r) => (r.clients[0].scopes = ["orders/read", "orders/delete"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the scope is reported with the defined ones
    expect(lines).toEqual([
      'error: clients["acme-billing"].scopes[1]: must be one of "orders/read", "orders/write"; got "orders/delete"',
    ]);
  });

  test("rejects a scope listed twice", () => {
    // GIVEN orders/read twice
    const registry = registryWith((r) => (r.clients[0].scopes = ["orders/read", "orders/read"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the repeat is reported
    expect(lines).toEqual(['error: clients["acme-billing"].scopes[1]: must not repeat scopes[0]; got "orders/read"']);
  });

  test("rejects a scope that no route requires", () => {
    // GIVEN a defined scope that no route demands
    const registry = registryWith((r) => {
      r.resourceServers.orders.scopes.audit = "Read the audit trail";
      r.clients[0].scopes = ["orders/read", "orders/audit"];
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the scope is reported as granting nothing
    expect(lines).toEqual([
      'error: clients["acme-billing"].scopes[1]: must be required by at least one route (a scope no route requires grants nothing); got "orders/audit"',
    ]);
  });

  test("requires at least one environment", () => {
    // GIVEN a client in no environment
    const registry = registryWith((r) => (r.clients[0].environments = []));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty list is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].environments: must list at least one environment (a client with no environment is deployed nowhere); got []',
    ]);
  });

  test("rejects an environment that is not defined", () => {
    // GIVEN an unknown environment
    const registry = registryWith((r) => (r.clients[0].environments = ["dev", "staging"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the environment is reported with the defined ones
    expect(lines).toEqual([
      'error: clients["acme-billing"].environments[1]: must be one of "dev", "prod"; got "staging"',
    ]);
  });

  test("rejects an environment listed twice", () => {
    // GIVEN dev twice
    const registry = registryWith((r) => (r.clients[0].environments = ["dev", "prod", "dev"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the repeat is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].environments[2]: must not repeat environments[0]; got "dev"',
    ]);
  });

  test.each([2, 1441, 30.5])("rejects an access-token validity of %p minutes", (minutes) => {
    // GIVEN a validity outside Cognito's bounds, or not whole
    const registry = registryWith((r) => (r.clients[0].accessTokenValidityMinutes = minutes));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the validity is reported
    expect(lines).toEqual([
      `error: clients["acme-billing"].accessTokenValidityMinutes: must be a whole number from 5 to 1440 (Cognito's 5 minutes to 1 day); got ${minutes}`,
    ]);
  });

  test.each(["2027-02-29", "2027-6-30", "30/06/2027"])("rejects the expiry date %j", (expires) => {
    // GIVEN a date that does not exist or is not written YYYY-MM-DD
    const registry = registryWith((r) => (r.clients[0].expires = expires));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the date is reported
    expect(lines).toEqual([
      `error: clients["acme-billing"].expires: must be a real date written YYYY-MM-DD; got ${JSON.stringify(expires)}`,
    ]);
  });

  test("fails a client whose last day has passed", () => {
    // GIVEN a client that expired before today (2026-11-26)
    const registry = registryWith((r) => (r.clients[0].expires = "2026-01-31"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN it is an error
    expect(lines).toEqual([
      'error: clients["acme-billing"].expires: expired on 2026-01-31: renew it (move `expires` forward) or remove the client',
    ]);
  });

  test.each([
    ["2026-11-26", "today"],
    ["2026-11-27", "tomorrow"],
    ["2026-12-26", "in 30 days"],
  ])("warns about a client that expires on %s, %s", (expires, when) => {
    // GIVEN a client whose last day is within 30 days of today (2026-11-26)
    const registry = registryWith((r) => (r.clients[0].expires = expires));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN it is a warning with the time left
    expect(lines).toEqual([
      `warning: clients["acme-billing"].expires: expires on ${expires}, ${when}: renew it (move \`expires\` forward) or plan the client's removal`,
    ]);
  });

  test("says nothing about a client that expires in 31 days", () => {
    // GIVEN a client whose last day is just beyond the warning window
    const registry = registryWith((r) => (r.clients[0].expires = "2026-12-27"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN nothing is reported
    expect(lines).toEqual([]);
  });

  test("rejects a consumer principal that is neither an account id nor an IAM ARN", () => {
    // GIVEN an ARN with a short account id
    const registry = registryWith((r) => (r.clients[0].consumerPrincipals = ["arn:aws:iam::1234:role/reader"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the principal is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].consumerPrincipals[0]: must be a 12-digit account id or an IAM ARN such as "arn:aws:iam::123456789012:role/name" (root, role/… or user/…); got "arn:aws:iam::1234:role/reader"',
    ]);
  });

  test("accepts account ids and root, role and user ARNs as consumer principals", () => {
    // GIVEN one principal of each accepted form
    const registry = registryWith(
      (r) =>
        (r.clients[0].consumerPrincipals = [
          "123456789012",
          "arn:aws:iam::123456789012:root",
          "arn:aws:iam::123456789012:role/service/billing-reader",
          "arn:aws:iam::123456789012:user/ci",
        ]),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN nothing is reported
    expect(lines).toEqual([]);
  });

  test("rejects a consumer principal listed twice", () => {
    // GIVEN the same account twice
    const registry = registryWith((r) => (r.clients[0].consumerPrincipals = ["123456789012", "123456789012"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the repeat is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].consumerPrincipals[1]: must not repeat consumerPrincipals[0]; got "123456789012"',
    ]);
  });
});

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
      'error: registry.project: must be 1 to 16 lower-case letters, digits or dashes, starting with a letter (it prefixes AWS resource names); got "M2M"',
      'error: environments.prod.region: must be an AWS region such as "eu-west-1"; got "eu-west"',
      'error: resourceServers.orders.name: must be a non-empty display name of at most 256 characters; got ""',
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
      "error: registry.project: must be 1 to 16 lower-case letters, digits or dashes, starting with a letter (it prefixes AWS resource names); got 42",
      "error: environments.dev: must be an object with region, stageName, protected and cognitoDomainPrefix; got null",
      'error: environments.prod.region: must be an AWS region such as "eu-west-1"; got a list',
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

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}
