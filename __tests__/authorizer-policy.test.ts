/**
 * The policy the authorizer returns, checked from the outside with an independent model of API Gateway
 * (IAM wildcards, Deny over Allow, literal-over-{param} dispatch): it opens exactly the routes a token's
 * scopes satisfy, across the stage, whichever route triggered it.
 */
import type { APIGatewayAuthorizerResult, PolicyDocument } from "aws-lambda";
import registry from "./fixtures/sample-registry";
import { createAuthorizer } from "../functions/authorizer/authorizer";
import { parseMethodArn } from "../functions/authorizer/method-arn";
import { policyDocument } from "../functions/authorizer/policy";
import { RouteTableError, parseRoute, parseRouteTable } from "../functions/authorizer/route-table";
import { RouteAccess, findPolicyConflicts, globReachesRoute } from "../model/route-access";
import { matchRoute, serializeRouteTable, type RouteRule } from "../model/route-table";
import {
  ROUTES,
  STAGE_PREFIX,
  arn,
  captureLogs,
  clientAnswer,
  outcomeOf,
  resourcesOf,
  tokenEvent,
} from "./support/authorizer-fixture";
import { dispatch, iamAllows } from "./support/iam";
import { CLIENT_ID, POOL_ID, accessClaims, createSigningKey, jwksOf, signRs } from "./support/tokens";

const key = createSigningKey("k1");

function authorizerFor(routes: readonly RouteRule[]) {
  const authorizer = createAuthorizer({ userPoolId: POOL_ID, routes, log: () => undefined });
  authorizer.verifier.cacheJwks(jwksOf(key));
  return authorizer;
}

async function policyFor(
  routes: readonly RouteRule[],
  scope: string,
  method = "GET",
  path = "/whoami",
): Promise<APIGatewayAuthorizerResult> {
  return authorizerFor(routes).handler(tokenEvent(`Bearer ${signRs(key, accessClaims({ scope }))}`, method, path));
}

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => acc.concat(acc.map((s) => [...s, item])), [[]]);
}

/** Concrete request paths for a route: each {param} filled with plain values and every literal in the table. */
function samplePaths(route: RouteRule, table: readonly RouteRule[]): string[] {
  const literals = [...new Set(table.flatMap((r) => r.path.split("/").filter((s) => s && !s.startsWith("{"))))];
  const values = ["1", "ab-c.d", ...literals];
  let paths = [""];
  for (const segment of route.path.split("/").filter(Boolean)) {
    const options = segment.startsWith("{") ? values : [segment];
    paths = paths.flatMap((p) => options.map((o) => `${p}/${o}`));
  }
  return paths.map((p) => p || "/");
}

/**
 * For every subset of the table's scopes and every sample request, compares what the policy lets
 * through with what the scopes entitle. Returns the disagreements, split into breaches (let through
 * without the scopes) and lockouts (refused despite them).
 */
function exactness(table: readonly RouteRule[]): { breaches: string[]; lockouts: string[]; checked: number } {
  const access = new RouteAccess(table.map(parseRoute));
  const scopes = [...new Set(table.flatMap((r) => r.scopes))].sort();
  const requests = table.flatMap((r) => samplePaths(r, table).map((path) => ({ method: r.method, path })));
  const breaches: string[] = [];
  const lockouts: string[] = [];
  let checked = 0;
  for (const granted of subsets(scopes)) {
    const policy: PolicyDocument = policyDocument(access.plan(new Set(granted)), STAGE_PREFIX);
    for (const { method, path } of requests) {
      const target = dispatch(table, method, path);
      if (!target) continue;
      checked++;
      const entitled = target.scopes.every((s) => granted.includes(s));
      const allowed = iamAllows(policy, arn(method, path));
      const what = `[${granted.join(" ")}] ${method} ${path} -> ${target.method} ${target.path}`;
      if (allowed && !entitled) breaches.push(what);
      if (!allowed && entitled) lockouts.push(what);
    }
  }
  return { breaches, lockouts, checked };
}

describe("a token with orders/read", () => {
  test("gets every read route and no write route, across the stage", async () => {
    // GIVEN / WHEN
    const result = await policyFor(ROUTES, "orders/read");
    // THEN, judged by the independent IAM model on concrete requests
    const policy = result.policyDocument;
    expect(iamAllows(policy, arn("GET", "/orders"))).toBe(true);
    expect(iamAllows(policy, arn("GET", "/orders/123"))).toBe(true);
    expect(iamAllows(policy, arn("GET", "/whoami"))).toBe(true);
    expect(iamAllows(policy, arn("POST", "/orders"))).toBe(false);
    expect(iamAllows(policy, arn("DELETE", "/orders/123"))).toBe(false);
    expect(iamAllows(policy, arn("GET", "/inventory/items/sku-1"))).toBe(false);
    expect(iamAllows(policy, arn("POST", "/inventory/items/sku-1/reservations"))).toBe(false);
  });

  test("does not reach the deeper {param} route that needs another scope", async () => {
    const result = await policyFor(ROUTES, "orders/read");
    expect(iamAllows(result.policyDocument, arn("GET", "/orders/123/secrets"))).toBe(false);
    expect(resourcesOf(result, "Deny")).toEqual(["GET/orders/*/secrets"]);
  });
});

describe("{param} routes", () => {
  test("match any single segment", async () => {
    const { policyDocument } = await policyFor(ROUTES, "inventory/read inventory/reserve");
    for (const sku of ["1", "SKU-42", "a.b_c~d"]) {
      expect(iamAllows(policyDocument, arn("GET", `/inventory/items/${sku}`))).toBe(true);
      expect(iamAllows(policyDocument, arn("POST", `/inventory/items/${sku}/reservations`))).toBe(true);
    }
  });

  test("a token for the deeper route only gets that route, not its parent", async () => {
    const result = await policyFor(ROUTES, "orders/admin");
    expect(iamAllows(result.policyDocument, arn("GET", "/orders/7/secrets"))).toBe(true);
    expect(iamAllows(result.policyDocument, arn("GET", "/orders/7"))).toBe(false);
    expect(resourcesOf(result, "Allow")).toEqual(["GET/whoami", "GET/orders/*/secrets"]);
    expect(resourcesOf(result, "Deny")).toEqual([]);
  });
});

describe("cache safety", () => {
  test.each([
    "orders/read",
    "orders/write orders/admin",
    "inventory/read",
    "orders/read inventory/read inventory/reserve",
    "",
  ])("the policy for [%s] is identical whichever route triggered it", async (scope) => {
    // GIVEN one token WHEN it is presented on every route of the table (and on an unknown one)
    const { handler } = authorizerFor(ROUTES);
    const token = signRs(key, accessClaims({ scope }));
    const triggers = [...ROUTES.map((r) => [r.method, r.path.replace(/\{[^}]+\}/g, "x1")]), ["GET", "/no/such/route"]];
    const policies = new Set<string>();
    for (const [method, path] of triggers) {
      const result = await handler(tokenEvent(`Bearer ${token}`, method, path));
      policies.add(
        JSON.stringify({
          ...result.policyDocument,
          principalId: result.principalId,
          key: result.usageIdentifierKey,
          context: result.context,
        }),
      );
    }
    // THEN API Gateway caches one answer that is right for all of them
    expect(policies.size).toBe(1);
  });
});

describe("exactness over every scope combination", () => {
  test("the fixture table: no breach, no lockout", () => {
    const { breaches, lockouts, checked } = exactness(ROUTES);
    expect(breaches).toEqual([]);
    expect(lockouts).toEqual([]);
    expect(checked).toBeGreaterThan(1_000);
  });

  test("a table with literal siblings of {param} routes and deep nesting: no breach, no lockout", () => {
    const table: RouteRule[] = [
      { method: "GET", path: "/", scopes: ["root/read"] },
      { method: "GET", path: "/clients/me", scopes: [] },
      { method: "GET", path: "/clients/{clientId}", scopes: ["clients/admin"] },
      { method: "GET", path: "/clients/{clientId}/keys", scopes: ["clients/admin"] },
      { method: "GET", path: "/clients/me/keys", scopes: ["clients/keys"] },
      { method: "GET", path: "/orders/{orderId}", scopes: ["orders/read"] },
      { method: "GET", path: "/orders/search", scopes: ["orders/search"] },
      { method: "GET", path: "/orders/{orderId}/lines/{lineId}", scopes: ["orders/read", "orders/lines"] },
      { method: "GET", path: "/orders/{orderId}/lines", scopes: ["orders/lines"] },
    ];
    expect(findPolicyConflicts(parseRouteTable(serializeRouteTable(table)))).toEqual([]);
    const { breaches, lockouts, checked } = exactness(table);
    expect(breaches).toEqual([]);
    expect(lockouts).toEqual([]);
    expect(checked).toBeGreaterThan(5_000);
  });

  test("the shipped registry's routes: no conflict, no breach, no lockout", () => {
    const table: RouteRule[] = registry.routes.map((r) => ({ method: r.method, path: r.path, scopes: [...r.scopes] }));
    expect(findPolicyConflicts(table.map(parseRoute))).toEqual([]);
    const { breaches, lockouts } = exactness(table);
    expect(breaches).toEqual([]);
    expect(lockouts).toEqual([]);
  });
});

describe("a table IAM wildcards cannot express exactly", () => {
  // An Allow for GET /x/* reaches GET /x/{p}/y, whose Deny (GET /x/*/y) reaches GET /x/{p}/{q}/y.
  const table: RouteRule[] = [
    { method: "GET", path: "/x/{p}", scopes: ["s/one"] },
    { method: "GET", path: "/x/{p}/y", scopes: ["s/two"] },
    { method: "GET", path: "/x/{p}/{q}/y", scopes: ["s/three"] },
  ];

  test("is reported by findPolicyConflicts, for the synth-time check", () => {
    expect(findPolicyConflicts(table.map(parseRoute))).toEqual([
      "GET /x/{p} reaches GET /x/{p}/y, whose Deny reaches GET /x/{p}/{q}/y",
    ]);
  });

  test("still never lets a request through without the scopes: the Deny wins, the partner loses part of a route", () => {
    const { breaches, lockouts } = exactness(table);
    expect(breaches).toEqual([]);
    expect(lockouts.length).toBeGreaterThan(0);
    expect(lockouts.every((l) => l.endsWith("-> GET /x/{p}/{q}/y"))).toBe(true);
  });

  test("a {param} as the first segment reaches every route of its method, so it conflicts with literal siblings", () => {
    const withTenant: RouteRule[] = [
      { method: "GET", path: "/{tenant}", scopes: ["tenant/read"] },
      { method: "GET", path: "/clients/me", scopes: [] },
      { method: "GET", path: "/clients/{clientId}", scopes: ["clients/admin"] },
    ];
    expect(findPolicyConflicts(withTenant.map(parseRoute))).toEqual([
      "GET /{tenant} reaches GET /clients/{clientId}, whose Deny reaches GET /clients/me",
    ]);
    const { breaches, lockouts } = exactness(withTenant);
    expect(breaches).toEqual([]);
    expect(lockouts).toContain("[tenant/read] GET /clients/me -> GET /clients/me");
  });

  test("starts without a word (synth warns about the table), and logs the refusal with its reason", async () => {
    const logs = captureLogs();
    try {
      // WHEN the authorizer starts THEN it logs nothing: the validator reported the conflict at synth
      const a = createAuthorizer({ userPoolId: POOL_ID, routes: table });
      expect(logs.lines).toEqual([]);
      // WHEN a token with s/one and s/three calls a path both the Allow for /x/* and the Deny for /x/*/y match
      a.verifier.cacheJwks(jwksOf(key));
      await a.handler(tokenEvent(`Bearer ${signRs(key, accessClaims({ scope: "s/one s/three" }))}`, "GET", "/x/a/y/y"));
      // THEN the decision line says it is refused, and why
      expect(logs.records()).toEqual([
        expect.objectContaining({
          decision: "deny",
          reason: "policy_conflict",
          routeKey: "GET /x/{p}/{q}/y",
          conflicts: ["GET /x/{p}/{q}/y"],
        }),
      ]);
    } finally {
      logs.restore();
    }
  });
});

test("a route in conflict is decided per request path, never from the line of an earlier request", async () => {
  // GIVEN the Allow for /x/* reaches /x/{p}/y, which s/one may not call, so it is denied as /x/*/y;
  // that Deny matches only the paths of /x/{p}/{q}/{r} that end in /y
  const conflicted: RouteRule[] = [
    { method: "GET", path: "/x/{p}", scopes: ["s/one"] },
    { method: "GET", path: "/x/{p}/y", scopes: ["s/two"] },
    { method: "GET", path: "/x/{p}/{q}/{r}", scopes: ["s/one"] },
  ];
  const logs = captureLogs();
  try {
    const a = createAuthorizer({ userPoolId: POOL_ID, routes: conflicted });
    a.verifier.cacheJwks(jwksOf(key));
    const token = `Bearer ${signRs(key, accessClaims({ scope: "s/one" }))}`;
    // WHEN the same client calls that route on a path the Deny blocks, one it does not, and the first again
    for (const path of ["/x/a/b/y", "/x/a/b/c", "/x/a/b/y"]) await a.handler(tokenEvent(token, "GET", path));
    // THEN each line gives that path's own reason
    expect(logs.records().map((r) => [r.route, r.routeKey, r.reason])).toEqual([
      ["GET /x/a/b/y", "GET /x/{p}/{q}/{r}", "policy_conflict"],
      ["GET /x/a/b/c", "GET /x/{p}/{q}/{r}", "scopes_satisfied"],
      ["GET /x/a/b/y", "GET /x/{p}/{q}/{r}", "policy_conflict"],
    ]);
  } finally {
    logs.restore();
  }
});

describe("a token that satisfies no route", () => {
  test("gets a Deny for the whole stage (403), still metered under its client id", async () => {
    const table = ROUTES.filter((r) => r.scopes.length > 0);
    const logs = captureLogs();
    try {
      const a = createAuthorizer({ userPoolId: POOL_ID, routes: table });
      a.verifier.cacheJwks(jwksOf(key));
      const result = await a.handler(
        tokenEvent(`Bearer ${signRs(key, accessClaims({ scope: "billing/read" }))}`, "GET", "/orders"),
      );
      expect(result).toEqual(clientAnswer(CLIENT_ID, "billing/read", { deny: ["*"] }));
      expect(logs.records()).toEqual([expect.objectContaining({ decision: "deny", reason: "no_route_allowed" })]);
    } finally {
      logs.restore();
    }
  });
});

describe("methodArn", () => {
  test.each([
    [
      "a colon in the path",
      "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/orders/2021-08-01T00:00:00Z",
      "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1",
    ],
    [
      "the root resource",
      "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/",
      "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1",
    ],
    [
      "the China partition",
      "arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2c3d4e5/prod/GET/x",
      "arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2c3d4e5/prod",
    ],
    [
      "GovCloud",
      "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1b2c3d4e5/prod/GET/x",
      "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1b2c3d4e5/prod",
    ],
  ])("with %s: the stage prefix is found", (_name, methodArn, prefix) => {
    expect(parseMethodArn(methodArn)?.stagePrefix).toBe(prefix);
  });

  test.each([
    undefined,
    "",
    "arn:aws:lambda:eu-west-1:123456789012:function:x",
    "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5",
    "arn:aws:execute-api:eu-west-1:12345:a1b2c3d4e5/v1/GET/x",
  ])("%p is not a methodArn", (value) => expect(parseMethodArn(value)).toBeUndefined());

  test.each([
    ["a plain path", "GET", "orders/42"],
    ["a path JSON escapes", "GET", 'a"b\\c\nd'],
    ["a route longer than 256 characters", "GET", "p".repeat(300)],
    ["a lone surrogate where the cut falls", "GET", `${"p".repeat(250)}\ud83d\ude00`],
  ])("with %s, routeJson is the JSON of method and path, cut to 256 characters", (_name, method, path) => {
    const parsed = parseMethodArn(`arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/${method}/${path}`);
    expect(parsed?.routeJson).toBe(JSON.stringify(`${method} /${path}`.slice(0, 256)));
  });

  test("a malformed methodArn with a valid token is a 500, never an Allow", async () => {
    const a = authorizerFor(ROUTES);
    const token = signRs(key, accessClaims());
    const outcome = await outcomeOf(
      a.handler({ type: "TOKEN", authorizationToken: `Bearer ${token}`, methodArn: "arn:aws:execute-api:*" }),
    );
    expect(outcome).toEqual({ status: 500, error: "AuthorizerConfigurationError: malformed_method_arn" });
  });
});

describe("building blocks", () => {
  const pattern = (s: string) => [...s].map((c) => (c === "*" ? null : c));
  test.each([
    ["orders/*", "orders/*", true],
    ["orders/*", "orders/*/secrets", true],
    ["orders/*/secrets", "orders/*", false],
    ["orders/*", "orders/search", true],
    ["orders/search", "orders/*", true],
    ["*", "", true],
    ["*/*", "orders", false],
    // `*` crosses `/`: the whole reason for the explicit Denies.
    ["a/*/c", "a/b/c/c", true],
    ["a/*/c", "a/*/*/c", true],
  ])("IAM glob %s reaches route language %s: %s", (glob, route, expected) => {
    expect(globReachesRoute(pattern(glob), pattern(route))).toBe(expected);
  });

  test("matchRoute prefers a literal segment over a {param}", () => {
    const routes = [
      { method: "GET", path: "/orders/{id}", scopes: [] },
      { method: "GET", path: "/orders/search", scopes: [] },
    ].map(parseRoute);
    expect(matchRoute(routes, "GET", "orders/search")?.path).toBe("/orders/search");
    expect(matchRoute(routes, "GET", "orders/42")?.path).toBe("/orders/{id}");
    expect(matchRoute(routes, "GET", "orders/42/x")).toBeUndefined();
    expect(matchRoute(routes, "POST", "orders/42")).toBeUndefined();
  });

  test("matchRoute takes the path with or without its leading slash, and the root as an empty path", () => {
    const routes = [
      { method: "GET", path: "/", scopes: [] },
      { method: "GET", path: "/orders/{id}", scopes: [] },
    ].map(parseRoute);
    // The methodArn writes the root request as `GET/` (path "") and never has a leading slash.
    expect(matchRoute(routes, "GET", "")?.path).toBe("/");
    expect(matchRoute(routes, "GET", "/")?.path).toBe("/");
    expect(matchRoute(routes, "GET", "/orders/42")?.path).toBe("/orders/{id}");
    expect(matchRoute(routes, "GET", "orders/42")?.path).toBe("/orders/{id}");
    // An empty segment is not a parameter value: API Gateway does not route `//` to `{id}`.
    expect(matchRoute(routes, "GET", "orders/")).toBeUndefined();
    expect(matchRoute(routes, "GET", "//42")).toBeUndefined();
  });

  // The decision line quotes a route key without escaping it: the route grammar must keep it JSON-safe.
  test("every route key the parser admits is JSON between quotes, and a path that would need escaping is refused", () => {
    const admitted = ["/", "/a.b_c-D9/{x_1}", "/{Param}/z"].flatMap((path) =>
      ["GET", "OPTIONS"].map((method) => parseRoute({ method, path, scopes: [] })),
    );
    expect(admitted.map((r) => JSON.stringify(r.key))).toEqual(admitted.map((r) => `"${r.key}"`));
    for (const path of ['/a"b', "/a\\b", "/a\u0000b", "/a\u2028b", "/é", '/{a"}']) {
      expect(() => parseRoute({ method: "GET", path, scopes: [] })).toThrow(RouteTableError);
    }
    expect(() => parseRoute({ method: 'GE"T', path: "/a", scopes: [] })).toThrow(RouteTableError);
  });

  // The matcher reads the path in place; these are the edges where an index can be off by one.
  const edgeRoutes = [
    { method: "GET", path: "/", scopes: [] },
    { method: "GET", path: "/orders", scopes: [] },
    { method: "GET", path: "/orders/{id}", scopes: [] },
    { method: "GET", path: "/orders/{id}/lines/{line}", scopes: [] },
    { method: "GET", path: "/orders/search", scopes: [] },
  ].map(parseRoute);
  test.each([
    ["orders", "/orders"],
    ["/orders", "/orders"],
    ["orders/s", "/orders/{id}"],
    ["orders/search", "/orders/search"],
    ["orders/searc", "/orders/{id}"],
    ["orders/searchx", "/orders/{id}"],
    ["orders/42/lines/7", "/orders/{id}/lines/{line}"],
    ["order", undefined],
    ["ordersx", undefined],
    ["orders/", undefined],
    ["orders//", undefined],
    ["orders/42/", undefined],
    ["orders/42/lines", undefined],
    ["orders/42/lines/", undefined],
    ["orders/42/line/7", undefined],
    ["orders/42/lines/7/", undefined],
    ["orders/42/lines/7/x", undefined],
    ["//", undefined],
    ["/orders/search/", undefined],
  ])("matchRoute(GET %p) is %p", (path, expected) => {
    expect(matchRoute(edgeRoutes, "GET", path)?.path).toBe(expected);
  });

  test.each([
    ["no value", undefined, "ROUTE_TABLE must be set to a JSON array of routes"],
    ["an empty value", "", "ROUTE_TABLE must be set to a JSON array of routes"],
    ["not JSON", "{", "ROUTE_TABLE must be set to a JSON array of routes"],
    ["not an array", "{}", "ROUTE_TABLE must be set to a JSON array of routes"],
    [
      "the same route twice under other parameter names",
      '[{"method":"GET","path":"/o/{a}","scopes":[]},{"method":"GET","path":"/o/{b}","scopes":[]}]',
      /match the same requests/,
    ],
    ["a greedy parameter", '[{"method":"GET","path":"/{proxy+}","scopes":[]}]', /must not use a greedy parameter/],
    ["an empty segment", '[{"method":"GET","path":"/a//b","scopes":[]}]', /must not contain an empty segment/],
    ["a scope with a space", '[{"method":"GET","path":"/a","scopes":["a b"]}]', /without spaces/],
    ["method ANY", '[{"method":"ANY","path":"/a","scopes":[]}]', /method must be one of/],
    ["a question mark", '[{"method":"GET","path":"/a?","scopes":[]}]', /segment "a\?" must be letters, digits/],
  ])("parseRouteTable refuses %s", (_name, json, message) => {
    expect(() => parseRouteTable(json)).toThrow(RouteTableError);
    expect(() => parseRouteTable(json)).toThrow(message);
  });
});
