/**
 * The partner example `examples/token-client/token-client.ts` against a real local OAuth2 token
 * server (oauth2-mock-server in its own process, made to check client credentials and scopes the way
 * Cognito's /oauth2/token does). Token requests are counted on the server.
 */
import { decode } from "jsonwebtoken";
import {
  DEFAULT_REFRESH_MARGIN_SECONDS,
  InvalidClientError,
  InvalidScopeError,
  OAuthError,
  TokenClient,
  type TokenClientOptions,
  TokenEndpointError,
} from "../examples/token-client/token-client";
import { DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS } from "../model/defaults";
import { type TokenServer, startTokenServer } from "./support/token-server";

jest.setTimeout(60_000);

const CLIENT_ID = "4l1ce7example0client0id0abc";
// A throwaway value for the local test server, never a real credential.
const CLIENT_SECRET = "local-test-server-secret-0123456789";
// Cognito's default access-token validity, one hour.
const EXPIRES_IN = 3600;

let server: TokenServer;

beforeAll(async () => {
  server = await startTokenServer(
    { [CLIENT_ID]: { secret: CLIENT_SECRET, scopes: ["orders/read", "orders/write"] } },
    EXPIRES_IN,
  );
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
});

/** A client for the test server; waits between retries are recorded instead of slept. */
function client(overrides: Partial<TokenClientOptions> = {}) {
  const waits: number[] = [];
  const tokens = new TokenClient({
    tokenUrl: server.tokenUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    sleep: async (ms) => void waits.push(ms),
    ...overrides,
  });
  return { tokens, waits };
}

describe("caching", () => {
  test("GIVEN valid credentials THEN getToken returns the server's access token for this client, and a second call reuses it", async () => {
    const { tokens } = client({ scopes: ["orders/read"] });
    const token = await tokens.getToken();
    expect(decode(token)).toMatchObject({ client_id: CLIENT_ID, scope: "orders/read", token_use: "access" });
    expect(await tokens.getToken()).toBe(token);
    expect(await tokens.authorizationHeader()).toBe(`Bearer ${token}`);
    expect(await server.tokenRequests()).toBe(1);
  });

  test("100 parallel getToken() calls cause exactly one token request", async () => {
    const { tokens } = client();
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(new Set(results).size).toBe(1);
    expect(await server.tokenRequests()).toBe(1);
  });

  test("the token is reused until refreshMarginSeconds before expires_in, then refreshed once", async () => {
    let now = Date.UTC(2026, 4, 19, 12, 0, 0);
    const { tokens } = client({ now: () => now, refreshMarginSeconds: 60 });
    const first = await tokens.getToken();
    now += (EXPIRES_IN - 60) * 1000 - 1;
    expect(await tokens.getToken()).toBe(first);
    expect(await server.tokenRequests()).toBe(1);
    now += 1;
    await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
    expect(await server.tokenRequests()).toBe(2);
  });

  test("by default a token is replaced the API's default authorizer cache TTL before it expires", async () => {
    // GIVEN no refreshMarginSeconds: a token first used later than the TTL before its expiry would be
    // honoured past it by the cached answer, so it is never handed out that late
    expect(DEFAULT_REFRESH_MARGIN_SECONDS).toBe(DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS);
    let now = Date.UTC(2026, 4, 19, 12, 0, 0);
    const { tokens } = client({ now: () => now });
    const first = await tokens.getToken();
    now += (EXPIRES_IN - DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS) * 1000 - 1;
    expect(await tokens.getToken()).toBe(first);
    expect(await server.tokenRequests()).toBe(1);
    now += 1;
    await tokens.getToken();
    expect(await server.tokenRequests()).toBe(2);
  });

  test("a margin longer than the token's life is capped at half of it", async () => {
    let now = 0;
    const { tokens } = client({ now: () => now, refreshMarginSeconds: 3600 });
    await tokens.getToken();
    now = (EXPIRES_IN / 2) * 1000 - 1;
    await tokens.getToken();
    expect(await server.tokenRequests()).toBe(1);
    now += 1;
    await tokens.getToken();
    expect(await server.tokenRequests()).toBe(2);
  });

  test("invalidate() makes the next call fetch a new token", async () => {
    const { tokens } = client();
    await tokens.getToken();
    tokens.invalidate();
    await tokens.getToken();
    expect(await server.tokenRequests()).toBe(2);
  });
});

describe("failures", () => {
  test("GIVEN two 503 answers THEN the third attempt succeeds after two growing backoffs", async () => {
    await server.failNext(2, 503);
    const { tokens, waits } = client({ initialBackoffMs: 100 });
    await expect(tokens.getToken()).resolves.toEqual(expect.any(String));
    expect(await server.tokenRequests()).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  test("GIVEN the endpoint keeps failing THEN attempts stop at maxAttempts with a TokenEndpointError, for every concurrent caller", async () => {
    await server.failNext(100, 502);
    const { tokens } = client({ maxAttempts: 3, initialBackoffMs: 1 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    const error = (results[0] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect({ status: error.status, attempts: error.attempts, message: error.message }).toEqual({
      status: 502,
      attempts: 3,
      message: "token endpoint failed 3 time(s), last: HTTP 502",
    });
    expect(await server.tokenRequests()).toBe(3);

    // The failure is not cached: once the endpoint recovers, the next call gets a token.
    await server.failNext(0);
    await expect(tokens.getToken()).resolves.toEqual(expect.any(String));
    expect(await server.tokenRequests()).toBe(4);
  });

  test("a wrong secret is an InvalidClientError with the OAuth code, and is not retried", async () => {
    const { tokens, waits } = client({ clientSecret: "not-the-secret" });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidClientError);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: "invalid_client",
      status: 401,
      message: "token endpoint answered 401 invalid_client",
    });
    expect(waits).toEqual([]);
    expect(await server.tokenRequests()).toBe(1);
  });

  test("a scope the client does not have is an InvalidScopeError carrying the server's description", async () => {
    const { tokens } = client({ scopes: ["orders/read", "inventory/reserve"] });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidScopeError);
    expect(error).toMatchObject({ code: "invalid_scope", status: 400, description: "not allowed: inventory/reserve" });
    expect(await server.tokenRequests()).toBe(1);
  });

  test("an unreachable endpoint fails after maxAttempts with no status", async () => {
    const { tokens, waits } = client({
      tokenUrl: "http://127.0.0.1:9/oauth2/token",
      maxAttempts: 2,
      initialBackoffMs: 1,
    });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect({ status: (error as TokenEndpointError).status, attempts: (error as TokenEndpointError).attempts }).toEqual({
      status: undefined,
      attempts: 2,
    });
    expect(waits).toHaveLength(1);
  });
});
