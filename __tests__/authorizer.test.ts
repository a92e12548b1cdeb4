/**
 * The authorizer end to end: real RS256 tokens signed by a key generated here, the public key served as
 * a JWKS by a real HTTP server on 127.0.0.1, through the handler exactly as API Gateway calls it.
 */
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SimpleFetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { AccessTokenVerifier } from "../functions/authorizer/access-token-verifier";
import { createAuthorizer } from "../functions/authorizer/authorizer";
import { cognitoIssuers } from "../functions/authorizer/cognito-issuers";
import { FailFastFetcher, createJwksCache } from "../functions/authorizer/jwks";
import { ROUTE_TABLE_ENV, USER_POOL_ID_ENV, serializeRouteTable } from "../model/route-table";
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
import { LocalJwksFetcher, startJwksServer, type JwksServer } from "./support/jwks-server";
import {
  CLIENT_ID,
  POOL_ID,
  REGION,
  accessClaims,
  createSigningKey,
  jwksOf,
  signRs,
  tokenParts,
} from "./support/tokens";

const JWKS_PATH = `/${POOL_ID}/.well-known/jwks.json`;
const REQUEST_ID = "c793869b-ee49-115b-a5b6-4fd21e8dedac";
const COGNITO_JWKS_URI = `https://cognito-idp.${REGION}.amazonaws.com${JWKS_PATH}`;

const k1 = createSigningKey("k1");
const k2 = createSigningKey("k2");
let server: JwksServer;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  server = await startJwksServer(POOL_ID, jwksOf(k1));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.setJwks(jwksOf(k1));
  server.failWith(null);
  server.requests.length = 0;
  logs = captureLogs();
});
afterEach(() => logs.restore());

/** A cold instance: fresh verifier, empty JWKS cache, fetching from the local server. */
function coldAuthorizer(port = server.port) {
  const fetcher = new LocalJwksFetcher(port);
  const authorizer = createAuthorizer({ userPoolId: POOL_ID, routes: ROUTES, jwksCache: createJwksCache(fetcher) });
  return { ...authorizer, fetcher };
}

describe("a valid token", () => {
  test("gets the client id as principal and usage key, a stage-wide policy and its scopes as context", async () => {
    // GIVEN
    const { handler } = coldAuthorizer();
    const token = signRs(k1, accessClaims({ scope: "orders/read inventory/read" }));
    // WHEN
    const result = await handler(tokenEvent(`Bearer ${token}`, "GET", "/orders/42"));
    // THEN
    // `GET /orders/*` would also match `GET /orders/{orderId}/secrets`, which needs orders/admin: denied.
    expect(result).toEqual(
      clientAnswer(CLIENT_ID, "orders/read inventory/read", {
        allow: ["GET/whoami", "GET/orders", "GET/orders/*", "GET/inventory/items/*"],
        deny: ["GET/orders/*/secrets"],
      }),
    );
  });

  test("logs exactly one JSON line, straight to stdout, with level, request id, client, route, decision and reason, and nothing of the token", async () => {
    // GIVEN
    const { handler } = coldAuthorizer();
    const token = signRs(k1, accessClaims({ scope: "orders/read" }));
    // WHEN Lambda invokes it with its context
    await handler(tokenEvent(`Bearer ${token}`, "POST", "/orders"), { awsRequestId: REQUEST_ID });
    // THEN one line, in one write to stdout (not through the console)
    expect(logs.lines).toEqual([
      `{"event":"authorizer_decision","level":"INFO","requestId":"${REQUEST_ID}","decision":"deny","reason":"missing_scopes","clientId":"${CLIENT_ID}","routeKey":"POST /orders","allowedRoutes":3,"deniedRoutes":1,"route":"POST /orders"}`,
    ]);
    expect(logs.viaConsole()).toBe(0);
    expect(logs.records()).toEqual([
      {
        event: "authorizer_decision",
        level: "INFO",
        requestId: REQUEST_ID,
        decision: "deny",
        reason: "missing_scopes",
        clientId: CLIENT_ID,
        route: "POST /orders",
        routeKey: "POST /orders",
        allowedRoutes: 3,
        deniedRoutes: 1,
      },
    ]);
    for (const part of tokenParts(token)) expect(logs.lines.join("\n")).not.toContain(part);
  });

  // The line quotes the request id and route without JSON.stringify when nothing in them needs escaping.
  test.each([
    ["a quote", 'a"b'],
    ["a backslash", "a\\b"],
    ["a line break", "a\nb"],
    ["a control character", "a\u0001b"],
    ["a lone surrogate", "a\ud800b"],
    ["a surrogate pair", "a\ud83d\ude00b"],
    ["a line separator", "a\u2028b"],
    ["non-ASCII", "é"],
  ])("a request id and route holding %s are written as JSON.stringify writes them", async (_name, text) => {
    const { handler } = coldAuthorizer();
    const token = signRs(k1, accessClaims({ scope: "orders/read" }));
    // The first request makes the instance remember its stage, so the second is read by the shorter
    // pattern for that stage, which must hand such a path to the escaping.
    for (const path of [`/orders/${text}`, `/orders/${text}`]) {
      await handler(tokenEvent(`Bearer ${token}`, "GET", path), { awsRequestId: text });
    }
    const line = `{"event":"authorizer_decision","level":"INFO","requestId":${JSON.stringify(text)},"decision":"allow","reason":"scopes_satisfied","clientId":"${CLIENT_ID}","routeKey":"GET /orders/{orderId}","allowedRoutes":3,"deniedRoutes":1,"route":${JSON.stringify(`GET /orders/${text}`)}}`;
    expect(logs.lines).toEqual([line, line]);
  });

  test("a route longer than 256 characters is cut to 256 in the line, on the first request and the next", async () => {
    const { handler } = coldAuthorizer();
    const token = signRs(k1, accessClaims({ scope: "orders/read" }));
    const id = "x".repeat(300);
    for (let i = 0; i < 2; i++) await handler(tokenEvent(`Bearer ${token}`, "GET", `/orders/${id}`));
    expect(logs.records().map((r) => r.route)).toEqual([
      `GET /orders/${id}`.slice(0, 256),
      `GET /orders/${id}`.slice(0, 256),
    ]);
    expect(logs.records().map((r) => r.reason)).toEqual(["scopes_satisfied", "scopes_satisfied"]);
  });

  test("accepts the scheme in any case", async () => {
    const { handler } = coldAuthorizer();
    const token = signRs(k1, accessClaims());
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) {
      const outcome = await outcomeOf(handler(tokenEvent(`${scheme} ${token}`)));
      expect(outcome).toMatchObject({ status: "policy", result: { principalId: CLIENT_ID } });
    }
  });

  test("is accepted with Cognito's newer issuer host (issuer-cognito-idp), which the library also trusts", async () => {
    const { handler, fetcher } = coldAuthorizer();
    const token = signRs(k1, accessClaims({ iss: `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL_ID}` }));
    const outcome = await outcomeOf(handler(tokenEvent(`Bearer ${token}`)));
    expect(outcome).toMatchObject({ status: "policy", result: { principalId: CLIENT_ID } });
    expect(fetcher.uris).toEqual([`https://issuer-cognito-idp.${REGION}.amazonaws.com${JWKS_PATH}`]);
  });

  test("may name exactly the issuers, with the same JWKS endpoints, that the library's CognitoJwtVerifier trusts", () => {
    // GIVEN the library's own Cognito verifier for the pool (the authorizer uses its generic verifier)
    const library = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: "access", clientId: null });
    // THEN the authorizer's issuer list is the library's, so an upgrade that adds a form fails here
    const trusted = [...library["issuersConfig"].values()].map(({ issuer, jwksUri }) => ({ issuer, jwksUri }));
    const ours = new AccessTokenVerifier(
      cognitoIssuers(POOL_ID).map((issuer) => ({ issuer, audience: null })),
      new SimpleJwksCache(),
    );
    expect([...ours["issuersConfig"].values()].map(({ issuer, jwksUri }) => ({ issuer, jwksUri }))).toEqual(trusted);
    expect(trusted.map((t) => t.issuer)).toEqual([
      `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`,
      `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`,
    ]);
  });

  test.each([
    ["eu-west-1_AbCdEf123", true],
    ["us-gov-west-1_AbCdEf123", true],
    ["eusc-de-east-1_AbCdEf123", true],
    ["eu-west-1", false],
    ["eu-west-1_", false],
    ["eu-west-1_Ab/Cd", false],
    ["EU-WEST-1_AbCdEf123", false],
    ["eu-west-1_AbCdEf123/../x", false],
  ])("is derived from pool id %s only when the library would accept it too (%s)", (poolId, accepted) => {
    const ours = () => cognitoIssuers(poolId);
    const library = () => CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId: null });
    if (accepted) {
      expect(ours).not.toThrow();
      expect(library).not.toThrow();
    } else {
      expect(ours).toThrow(
        `userPoolId must be a Cognito user pool id such as eu-west-1_AbCdEf123; received ${JSON.stringify(poolId)}`,
      );
      expect(library).toThrow(`Invalid Cognito User Pool ID: ${poolId}`);
    }
  });
});

describe("the memoised answer, one per client id, for its last scope claim and stage", () => {
  test("is the same frozen object for the same client and scopes, and another one when the scopes differ", async () => {
    const { handler } = coldAuthorizer();
    const read = signRs(k1, accessClaims({ scope: "orders/read" }));
    const first = await handler(tokenEvent(`Bearer ${read}`, "GET", "/orders/1"));
    const again = await handler(
      tokenEvent(`Bearer ${signRs(k1, accessClaims({ scope: "orders/read" }))}`, "GET", "/orders"),
    );
    expect(again).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.context)).toBe(true);
    expect(Object.isFrozen((first.policyDocument.Statement[0] as { Resource: string[] }).Resource)).toBe(true);
    const write = await handler(
      tokenEvent(`Bearer ${signRs(k1, accessClaims({ scope: "orders/write" }))}`, "POST", "/orders"),
    );
    expect(write).not.toBe(first);
    expect(write.context).toEqual({ clientId: CLIENT_ID, scopes: "orders/write" });
    // The decision line still names each request's own route and outcome.
    expect(logs.records().map((r) => [r.route, r.routeKey, r.decision])).toEqual([
      ["GET /orders/1", "GET /orders/{orderId}", "allow"],
      ["GET /orders", "GET /orders", "allow"],
      ["POST /orders", "POST /orders", "allow"],
    ]);
  });

  test("a client alternating two scope sets gets the right answer each time, rebuilt on each change", async () => {
    const { handler } = coldAuthorizer();
    const tokenFor = (scope: string, jti: string) => `Bearer ${signRs(k1, accessClaims({ scope, jti }))}`;
    const answers = [];
    for (const [scope, jti] of [
      ["orders/read", "r1"],
      ["orders/write", "w1"],
      ["orders/read", "r2"],
      ["orders/read", "r3"],
    ]) {
      answers.push(await handler(tokenEvent(tokenFor(scope, jti), "POST", "/orders")));
    }
    expect(answers.map((a) => a.context?.scopes)).toEqual([
      "orders/read",
      "orders/write",
      "orders/read",
      "orders/read",
    ]);
    expect(logs.records().map((r) => r.decision)).toEqual(["deny", "allow", "deny", "deny"]);
    // The read answer was replaced by the write one, so the second read builds it again; the third reuses it.
    expect(answers[2]).not.toBe(answers[0]);
    expect(answers[3]).toBe(answers[2]);
  });

  test("writes each request's line for the route it called and for its client, one answer serving several routes", async () => {
    const { handler } = coldAuthorizer();
    const reader = `Bearer ${signRs(k1, accessClaims({ scope: "orders/read" }))}`;
    const otherId = "7other0client0id00000000ab";
    const writer = `Bearer ${signRs(k1, accessClaims({ sub: otherId, client_id: otherId, scope: "orders/write" }))}`;
    for (const [token, method, path] of [
      [reader, "GET", "/orders/1"],
      [reader, "POST", "/orders"],
      [reader, "GET", "/orders/2"],
      [reader, "GET", "/nowhere"],
      [reader, "GET", "/nowhere/else"],
      [writer, "POST", "/orders"],
      [reader, "POST", "/orders"],
    ]) {
      await handler(tokenEvent(token, method, path), { awsRequestId: REQUEST_ID });
    }
    const line = (fields: string, route: string) =>
      `{"event":"authorizer_decision","level":"INFO","requestId":"${REQUEST_ID}",${fields},"route":"${route}"}`;
    const readerFields = `"clientId":"${CLIENT_ID}"`;
    const readerPlan = `"allowedRoutes":3,"deniedRoutes":1`;
    const writerFields = `"clientId":"${otherId}","routeKey":"POST /orders","allowedRoutes":3,"deniedRoutes":0`;
    expect(logs.lines).toEqual([
      line(
        `"decision":"allow","reason":"scopes_satisfied",${readerFields},"routeKey":"GET /orders/{orderId}",${readerPlan}`,
        "GET /orders/1",
      ),
      line(
        `"decision":"deny","reason":"missing_scopes",${readerFields},"routeKey":"POST /orders",${readerPlan}`,
        "POST /orders",
      ),
      line(
        `"decision":"allow","reason":"scopes_satisfied",${readerFields},"routeKey":"GET /orders/{orderId}",${readerPlan}`,
        "GET /orders/2",
      ),
      line(`"decision":"deny","reason":"unknown_route",${readerFields},"routeKey":null,${readerPlan}`, "GET /nowhere"),
      line(
        `"decision":"deny","reason":"unknown_route",${readerFields},"routeKey":null,${readerPlan}`,
        "GET /nowhere/else",
      ),
      line(`"decision":"allow","reason":"scopes_satisfied",${writerFields}`, "POST /orders"),
      line(
        `"decision":"deny","reason":"missing_scopes",${readerFields},"routeKey":"POST /orders",${readerPlan}`,
        "POST /orders",
      ),
    ]);
  });

  test("a client seen on another stage gets ARNs of that stage", async () => {
    const { handler } = coldAuthorizer();
    const token = `Bearer ${signRs(k1, accessClaims({ scope: "orders/read" }))}`;
    const v2 = STAGE_PREFIX.replace(/\/v1$/, "/v2");
    const resources = [];
    for (const stage of [STAGE_PREFIX, v2, STAGE_PREFIX]) {
      const result = await handler({ type: "TOKEN", authorizationToken: token, methodArn: `${stage}/GET/orders` });
      resources.push(...(result.policyDocument.Statement[0] as { Resource: string[] }).Resource);
    }
    // The Allow of orders/read, under the stage of each request in turn.
    const allowed = (stage: string) => ["GET/whoami", "GET/orders", "GET/orders/*"].map((r) => `${stage}/${r}`);
    expect(resources).toEqual([...allowed(STAGE_PREFIX), ...allowed(v2), ...allowed(STAGE_PREFIX)]);
  });

  test("at its bound of 1,000 answers, a client's new scope claim replaces its own answer and evicts no other", async () => {
    const { handler } = coldAuthorizer();
    const ids = Array.from({ length: 1_000 }, (_, i) => `client${String(i).padStart(4, "0")}`);
    const ask = (id: string, scope = "orders/read") =>
      handler(tokenEvent(`Bearer ${signRs(k1, accessClaims({ sub: id, client_id: id, scope }))}`));
    const oldest = await ask(ids[0]);
    for (const id of ids.slice(1)) await ask(id);
    // WHEN the newest client comes back with other scopes
    const rescoped = await ask(ids[999], "orders/write");
    // THEN it gets the answer for them, and the oldest client's answer is still the memoised one
    expect(rescoped.context).toEqual({ clientId: ids[999], scopes: "orders/write" });
    expect(await ask(ids[0])).toBe(oldest);
  });

  test("keeps answering right past its bound of 1,000 answers", async () => {
    const { handler } = coldAuthorizer();
    const ids = Array.from({ length: 1_002 }, (_, i) => `client${String(i).padStart(4, "0")}`);
    for (const id of ids) {
      const result = await handler(tokenEvent(`Bearer ${signRs(k1, accessClaims({ sub: id, client_id: id }))}`));
      expect(result.principalId).toBe(id);
    }
    // The first client's answer was evicted; asked again, it is built again, for that client.
    const first = await handler(tokenEvent(`Bearer ${signRs(k1, accessClaims({ sub: ids[0], client_id: ids[0] }))}`));
    expect([first.principalId, first.usageIdentifierKey]).toEqual([ids[0], ids[0]]);
  });
});

describe("JWKS fetching", () => {
  test("fetches the pool's Cognito JWKS once per cold start, however many tokens follow", async () => {
    // GIVEN a cold instance
    const { handler, fetcher } = coldAuthorizer();
    // WHEN it answers several tokens, some concurrently
    await handler(tokenEvent(`Bearer ${signRs(k1, accessClaims())}`));
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => handler(tokenEvent(`Bearer ${signRs(k1, accessClaims({ jti: `t${i}` }))}`))),
    );
    // THEN one request, to the URL the library derives from the pool id
    expect(fetcher.uris).toEqual([COGNITO_JWKS_URI]);
    expect(server.requests).toEqual([JWKS_PATH]);
  });

  test("concurrent cold requests share one fetch", async () => {
    const { handler } = coldAuthorizer();
    const token = signRs(k1, accessClaims());
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => outcomeOf(handler(tokenEvent(`Bearer ${token}`)))),
    );
    expect(outcomes.every((o) => o.status === "policy")).toBe(true);
    expect(server.requests).toEqual([JWKS_PATH]);
  });

  test("refetches on an unknown kid and accepts a rotated-in key, then serves it from cache", async () => {
    // GIVEN an instance that has cached the JWKS with k1 only
    const { handler } = coldAuthorizer();
    await handler(tokenEvent(`Bearer ${signRs(k1, accessClaims())}`));
    // WHEN Cognito rotates k2 in and a token signed with k2 arrives (twice)
    server.setJwks(jwksOf(k1, k2));
    const first = await outcomeOf(handler(tokenEvent(`Bearer ${signRs(k2, accessClaims())}`)));
    const second = await outcomeOf(handler(tokenEvent(`Bearer ${signRs(k2, accessClaims({ jti: "again" }))}`)));
    // THEN both are accepted and the JWKS was fetched once more only
    expect(first).toMatchObject({ status: "policy" });
    expect(second).toMatchObject({ status: "policy" });
    expect(server.requests).toEqual([JWKS_PATH, JWKS_PATH]);
  });

  test("a kid missing after the refetch is a 401, and a burst of such tokens does not hammer the endpoint", async () => {
    const { handler } = coldAuthorizer();
    await handler(tokenEvent(`Bearer ${signRs(k1, accessClaims())}`));
    const stranger = createSigningKey("k9");
    const outcomes = [];
    for (let i = 0; i < 5; i++)
      outcomes.push(await outcomeOf(handler(tokenEvent(`Bearer ${signRs(stranger, accessClaims())}`))));
    expect(outcomes).toEqual(Array(5).fill({ status: 401 }));
    // The initial fetch plus one refetch; the library's penalty box refuses further ones for 10 s.
    expect(server.requests).toEqual([JWKS_PATH, JWKS_PATH]);
    expect(
      logs
        .records()
        .slice(1)
        .map((r) => r.reason),
    ).toEqual(Array(5).fill("unknown_kid"));
  });
});

describe("the JWKS prefetch of a cold start", () => {
  test("fetches the keys of both Cognito issuer hosts before any request, so no request fetches", async () => {
    // GIVEN a cold instance WHEN its init prefetches (the library's hydrate(): one JWKS per issuer it trusts)
    const { handler, prefetchJwks, fetcher } = coldAuthorizer();
    await prefetchJwks();
    const uris = [COGNITO_JWKS_URI, `https://issuer-cognito-idp.${REGION}.amazonaws.com${JWKS_PATH}`];
    expect(fetcher.uris).toEqual(uris);
    // WHEN tokens of either issuer arrive THEN they are answered from memory
    for (const iss of [undefined, `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`]) {
      const outcome = await outcomeOf(handler(tokenEvent(`Bearer ${signRs(k1, accessClaims(iss ? { iss } : {}))}`)));
      expect(outcome).toMatchObject({ status: "policy", result: { principalId: CLIENT_ID } });
    }
    expect(fetcher.uris).toEqual(uris);
    expect(logs.records().map((r) => r.event)).toEqual(["authorizer_decision", "authorizer_decision"]);
  });

  test("fails without failing the init: one line, and the first request fetches again at once", async () => {
    // GIVEN the endpoint is down during the init
    const { handler, prefetchJwks } = coldAuthorizer();
    server.failWith(503);
    await expect(prefetchJwks()).resolves.toBeUndefined();
    expect(server.requests).toEqual([JWKS_PATH, JWKS_PATH]);
    expect(logs.records()).toEqual([
      { event: "authorizer_jwks_prefetch", level: "WARN", outcome: "failed", reason: "jwks_unavailable" },
    ]);
    // WHEN it is back for the first request (within the 5 s fetch back-off) THEN that request fetches and passes
    server.failWith(null);
    const outcome = await outcomeOf(handler(tokenEvent(`Bearer ${signRs(k1, accessClaims())}`)));
    expect(outcome).toMatchObject({ status: "policy", result: { principalId: CLIENT_ID } });
    expect(server.requests).toEqual([JWKS_PATH, JWKS_PATH, JWKS_PATH]);
  });
});

describe("when the JWKS endpoint is down", () => {
  test("a cold instance fails closed with a 500 (not a 401) and logs jwks_unavailable", async () => {
    // GIVEN the endpoint answers 503
    server.failWith(503);
    const { handler } = coldAuthorizer();
    const token = signRs(k1, accessClaims());
    // WHEN
    const outcome = await outcomeOf(handler(tokenEvent(`Bearer ${token}`)));
    // THEN
    expect(outcome).toEqual({ status: 500, error: "JwksUnavailableError: JWKS unavailable" });
    expect(logs.records()).toEqual([
      {
        event: "authorizer_decision",
        level: "ERROR",
        requestId: null,
        decision: "error",
        reason: "jwks_unavailable",
        clientId: null,
        route: "GET /orders",
      },
    ]);
  });

  test("further cold requests fail fast during the back-off instead of re-fetching", async () => {
    server.failWith(503);
    const { handler } = coldAuthorizer();
    const token = signRs(k1, accessClaims());
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await outcomeOf(handler(tokenEvent(`Bearer ${token}`))));
    expect(outcomes).toEqual(Array(5).fill({ status: 500, error: "JwksUnavailableError: JWKS unavailable" }));
    expect(server.requests).toEqual([JWKS_PATH]);
  });

  test("an unreachable endpoint (connection refused) is a 500 as well", async () => {
    const gone = await startJwksServer(POOL_ID, jwksOf(k1));
    await gone.close();
    const { handler } = coldAuthorizer(gone.port);
    const outcome = await outcomeOf(handler(tokenEvent(`Bearer ${signRs(k1, accessClaims())}`)));
    expect(outcome).toEqual({ status: 500, error: "JwksUnavailableError: JWKS unavailable" });
  });

  test("a JWKS that is not JSON is a 500 as well", async () => {
    server.failWith("garbage");
    const { handler } = coldAuthorizer();
    const outcome = await outcomeOf(handler(tokenEvent(`Bearer ${signRs(k1, accessClaims())}`)));
    expect(outcome).toEqual({ status: 500, error: "JwksUnavailableError: JWKS unavailable" });
  });

  test("a warm instance keeps serving tokens signed with keys it holds", async () => {
    const { handler } = coldAuthorizer();
    await handler(tokenEvent(`Bearer ${signRs(k1, accessClaims())}`));
    server.failWith(503);
    const outcome = await outcomeOf(handler(tokenEvent(`Bearer ${signRs(k1, accessClaims({ jti: "warm" }))}`)));
    expect(outcome).toMatchObject({ status: "policy", result: { principalId: CLIENT_ID } });
    expect(server.requests).toEqual([JWKS_PATH]);
  });

  test("the instance recovers once the back-off has passed and the endpoint is back", async () => {
    // GIVEN a fetcher whose clock the test moves
    let now = 1_000_000;
    const fetcher = new LocalJwksFetcher(server.port);
    const { handler } = createAuthorizer({
      userPoolId: POOL_ID,
      routes: ROUTES,
      jwksCache: new SimpleJwksCache({ fetcher: new FailFastFetcher(fetcher, 5_000, () => now) }),
    });
    const token = signRs(k1, accessClaims());
    server.failWith(503);
    expect(await outcomeOf(handler(tokenEvent(`Bearer ${token}`)))).toMatchObject({ status: 500 });
    server.failWith(null);
    // WHEN the endpoint is back but the back-off has not passed THEN still 500, no fetch
    now += 4_999;
    expect(await outcomeOf(handler(tokenEvent(`Bearer ${token}`)))).toMatchObject({ status: 500 });
    expect(fetcher.uris).toHaveLength(1);
    // WHEN the back-off has passed THEN it fetches and answers
    now += 2;
    expect(await outcomeOf(handler(tokenEvent(`Bearer ${token}`)))).toMatchObject({ status: "policy" });
    expect(fetcher.uris).toHaveLength(2);
  });
});

test("production's JWKS cache: the library's HTTPS fetcher with short time-outs, behind the fail-fast back-off", () => {
  const cache = createJwksCache() as SimpleJwksCache;
  expect(cache).toBeInstanceOf(SimpleJwksCache);
  expect(cache.fetcher).toBeInstanceOf(FailFastFetcher);
  const inner = (cache.fetcher as FailFastFetcher).inner;
  expect(inner).toBeInstanceOf(SimpleFetcher);
  expect((inner as SimpleFetcher).defaultRequestOptions).toEqual({ timeout: 1_000, responseTimeout: 1_500 });
});

test("an unexpected error is a 500 with its own decision line, never a 401 or an Allow", async () => {
  // GIVEN a JWKS cache with a bug
  const broken = {
    getJwk: () => Promise.reject(new TypeError("x is undefined")),
    getCachedJwk: () => {
      throw new TypeError("x is undefined");
    },
    addJwks: () => undefined,
    getJwks: () => Promise.reject(new TypeError("x is undefined")),
  };
  const { handler } = createAuthorizer({ userPoolId: POOL_ID, routes: ROUTES, jwksCache: broken });
  // WHEN
  const outcome = await outcomeOf(handler(tokenEvent(`Bearer ${signRs(k1, accessClaims())}`)));
  // THEN
  expect(outcome).toEqual({ status: 500, error: "AuthorizerConfigurationError: internal_error" });
  expect(logs.records()).toEqual([
    {
      event: "authorizer_decision",
      level: "ERROR",
      requestId: null,
      decision: "error",
      reason: "internal_error",
      clientId: null,
      route: "GET /orders",
    },
  ]);
});

describe("keys injected with the library's cacheJwks", () => {
  test("give the same answers as keys fetched over HTTP, without any fetch", async () => {
    // GIVEN one instance fetching over HTTP and one preloaded with cacheJwks whose fetcher must not run
    const fetched = coldAuthorizer();
    const neverFetch = { fetch: jest.fn(() => Promise.reject(new Error("must not fetch"))) };
    const injected = createAuthorizer({ userPoolId: POOL_ID, routes: ROUTES, jwksCache: createJwksCache(neverFetch) });
    injected.verifier.cacheJwks(jwksOf(k1));
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      signRs(k1, accessClaims({ scope: "orders/read orders/write" })),
      signRs(k1, accessClaims({ scope: "inventory/read inventory/reserve" })),
      signRs(k1, accessClaims({ exp: now - 10 })),
      signRs(k1, accessClaims({ token_use: "id" })),
      signRs({ privateKey: k2.privateKey }, accessClaims(), { kid: "k1", alg: "RS256" }),
    ];
    // WHEN / THEN
    for (const token of tokens) {
      const event = tokenEvent(`Bearer ${token}`, "GET", "/orders/7");
      expect(await outcomeOf(injected.handler(event))).toEqual(await outcomeOf(fetched.handler(event)));
    }
    expect(neverFetch.fetch).not.toHaveBeenCalled();
  });
});

describe("the Lambda entry point (functions/authorizer/index.ts)", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("builds the authorizer from USER_POOL_ID and ROUTE_TABLE at module scope", async () => {
    // GIVEN the environment the stack sets
    process.env[USER_POOL_ID_ENV] = POOL_ID;
    process.env[ROUTE_TABLE_ENV] = serializeRouteTable(ROUTES);
    let mod: typeof import("../functions/authorizer/index") | undefined;
    jest.isolateModules(() => {
      mod = require("../functions/authorizer/index");
    });
    // WHEN its init's JWKS fetch fails (this pool id's Cognito host is unreachable or knows no such pool)
    await mod!.initialized;
    // THEN the init still completes, with one line naming the failure
    expect(logs.records()).toEqual([
      { event: "authorizer_jwks_prefetch", level: "WARN", outcome: "failed", reason: "jwks_unavailable" },
    ]);
    // WHEN keys are preloaded and a token arrives
    mod!.verifier.cacheJwks(jwksOf(k1));
    const result = await mod!.handler(
      tokenEvent(`Bearer ${signRs(k1, accessClaims({ scope: "orders/write" }))}`, "POST", "/orders"),
    );
    // THEN (ROUTE_TABLE is sorted by path, so the ARNs come in that order)
    expect(resourcesOf(result, "Allow")).toEqual(["POST/orders", "DELETE/orders/*", "GET/whoami"]);
    expect(resourcesOf(result, "Deny")).toEqual([]);
  });

  test.each([
    ["no USER_POOL_ID", { [ROUTE_TABLE_ENV]: "[]" }, /userPoolId/],
    ["no ROUTE_TABLE", { [USER_POOL_ID_ENV]: POOL_ID }, /ROUTE_TABLE must be set/],
    [
      "a route with a wildcard literal",
      { [USER_POOL_ID_ENV]: POOL_ID, [ROUTE_TABLE_ENV]: '[{"method":"GET","path":"/a*","scopes":[]}]' },
      /segment "a\*" must be letters, digits/,
    ],
    [
      "a malformed pool id",
      { [USER_POOL_ID_ENV]: "not-a-pool", [ROUTE_TABLE_ENV]: "[]" },
      /^userPoolId must be a Cognito user pool id such as eu-west-1_AbCdEf123; received "not-a-pool"$/,
    ],
  ])("refuses to start with %s", (_name, env, message) => {
    delete process.env[USER_POOL_ID_ENV];
    delete process.env[ROUTE_TABLE_ENV];
    Object.assign(process.env, env);
    expect(() => jest.isolateModules(() => require("../functions/authorizer/index"))).toThrow(message);
  });
});

test("the triggering request's ARN only supplies the stage prefix: another API or stage gets its own ARNs", async () => {
  const { handler } = coldAuthorizer();
  const token = signRs(k1, accessClaims({ scope: "" }));
  const other = "arn:aws:execute-api:us-east-1:210987654321:zz99yy88xx/prod";
  const result = await handler({
    type: "TOKEN",
    authorizationToken: `Bearer ${token}`,
    methodArn: `${other}/GET/whoami`,
  });
  expect(result.policyDocument.Statement).toEqual([
    { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${other}/GET/whoami`] },
  ]);
  expect(arn("GET", "/whoami")).not.toContain(other);
});
