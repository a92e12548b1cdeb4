/**
 * Forged, malformed and borderline tokens, each with the exact outcome API Gateway must produce:
 * a 401 with the logged reason, or the exact policy. Every case runs against a cold instance that
 * fetches the JWKS from a real HTTP server, and every case checks that exactly one decision line was
 * logged and that no part of the token appears in it.
 */
import { createAuthorizer } from "../functions/authorizer/authorizer";
import { createJwksCache } from "../functions/authorizer/jwks";
import { ROUTES, captureLogs, outcomeOf, resourcesOf, tokenEvent } from "./support/authorizer-fixture";
import { LocalJwksFetcher, startJwksServer, type JwksServer } from "./support/jwks-server";
import {
  CLIENT_ID,
  ISSUER,
  POOL_ID,
  REGION,
  accessClaims,
  b64url,
  createSigningKey,
  jwksOf,
  signHs256WithPublicKey,
  signRs,
  tokenParts,
} from "./support/tokens";

const key = createSigningKey("k1");
const attacker = createSigningKey("k1");
const now = Math.floor(Date.now() / 1000);

const valid = signRs(key, accessClaims());
const [validHeader, validPayload, validSignature] = valid.split(".");
const header = (h: Record<string, unknown>) => b64url(h);

/** What the case must produce. */
type Expected =
  | { readonly status: 401; readonly reason: string }
  | {
      readonly status: "policy";
      readonly allow: readonly string[];
      readonly deny: readonly string[];
      readonly clientId?: string;
    };

const WHOAMI_ONLY: Expected = { status: "policy", allow: ["GET/whoami"], deny: [] };
const READ_ROUTES: Expected = {
  status: "policy",
  allow: ["GET/whoami", "GET/orders", "GET/orders/*"],
  deny: ["GET/orders/*/secrets"],
};
const unauthorized = (reason: string): Expected => ({ status: 401, reason });

interface Case {
  readonly name: string;
  /** The Authorization header as API Gateway passes it (may be missing or not a string). */
  readonly header: unknown;
  readonly expected: Expected;
  /** The client id the decision line must name (only for tokens whose signature verified). */
  readonly loggedClientId?: string | null;
}

const bearer = (token: string) => `Bearer ${token}`;

/** A case whose token's signature verifies: the decision line names the token's client. */
const verified = (name: string, token: string, expected: Expected): Case => ({
  name,
  header: bearer(token),
  expected,
  loggedClientId: CLIENT_ID,
});

const CASES: readonly Case[] = [
  // The header itself
  { name: "missing header", header: undefined, expected: unauthorized("missing_token") },
  { name: "empty header", header: "", expected: unauthorized("missing_token") },
  { name: "header that is not a string", header: 42, expected: unauthorized("missing_token") },
  { name: "scheme without token", header: "Bearer", expected: unauthorized("not_bearer") },
  { name: "scheme and a space, no token", header: "Bearer ", expected: unauthorized("malformed_jwt") },
  {
    name: "Basic credentials",
    header: `Basic ${Buffer.from(`${CLIENT_ID}:secret`).toString("base64")}`,
    expected: unauthorized("not_bearer"),
  },
  { name: "bare JWT without scheme", header: valid, expected: unauthorized("not_bearer") },
  { name: "other scheme (Token)", header: `Token ${valid}`, expected: unauthorized("not_bearer") },
  { name: "other scheme (DPoP)", header: `DPoP ${valid}`, expected: unauthorized("not_bearer") },
  { name: "two spaces after the scheme", header: `Bearer  ${valid}`, expected: unauthorized("malformed_jwt") },
  { name: "trailing space", header: `Bearer ${valid} `, expected: unauthorized("malformed_jwt") },
  {
    name: "two credentials in one header",
    header: `Bearer ${valid}, Bearer ${valid}`,
    expected: unauthorized("malformed_jwt"),
  },
  {
    name: "20 KB header carrying a validly signed token",
    header: bearer(signRs(key, accessClaims({ scope: `orders/read ${"x".repeat(20 * 1024)}` }))),
    expected: unauthorized("oversized_header"),
  },
  // Malformed JWTs
  { name: "garbage", header: "Bearer not-a-jwt", expected: unauthorized("malformed_jwt") },
  { name: "two parts", header: bearer(`${validHeader}.${validPayload}`), expected: unauthorized("malformed_jwt") },
  { name: "four parts", header: bearer(`${valid}.${validSignature}`), expected: unauthorized("malformed_jwt") },
  {
    name: "three parts, not JSON",
    header: bearer(`${b64url("hello")}.${b64url("world")}.${b64url("sig")}`),
    expected: unauthorized("malformed_jwt"),
  },
  {
    name: "three parts, header is a JSON array",
    header: bearer(`${b64url("[1]")}.${validPayload}.${validSignature}`),
    expected: unauthorized("malformed_jwt"),
  },
  {
    // The signed text is the header and payload as sent: padded, they are not what Cognito signed.
    name: "base64 padding on the header",
    header: bearer(`${validHeader}==.${validPayload}.${validSignature}`),
    expected: unauthorized("invalid_signature"),
  },
  {
    name: "base64 padding on the payload",
    header: bearer(`${validHeader}.${validPayload}=.${validSignature}`),
    expected: unauthorized("invalid_signature"),
  },
  {
    // Decoded, the same signature bytes: refused before the library would accept the variant.
    name: "base64 padding on the signature",
    header: bearer(`${valid}=`),
    expected: unauthorized("malformed_jwt"),
  },
  {
    name: "standard base64 alphabet (+ and /)",
    header: bearer(`${validHeader}.${validPayload}.${validSignature.slice(0, -2)}+/`),
    expected: unauthorized("malformed_jwt"),
  },
  { name: "truncated signature", header: bearer(valid.slice(0, -8)), expected: unauthorized("invalid_signature") },
  {
    name: "stripped signature",
    header: bearer(`${validHeader}.${validPayload}.`),
    expected: unauthorized("malformed_jwt"),
  },
  // Algorithm games
  {
    name: "alg none, empty signature",
    header: bearer(`${header({ kid: "k1", alg: "none" })}.${validPayload}.`),
    expected: unauthorized("malformed_jwt"),
  },
  {
    name: "alg none, junk signature",
    header: bearer(`${header({ kid: "k1", alg: "none" })}.${validPayload}.${b64url("x")}`),
    expected: unauthorized("unsupported_alg"),
  },
  {
    name: "HS256 signed with the RSA public key",
    header: bearer(signHs256WithPublicKey(key, accessClaims())),
    expected: unauthorized("unsupported_alg"),
  },
  {
    name: "RS512 signed with the right key",
    header: bearer(signRs(key, accessClaims(), { kid: "k1", alg: "RS512" }, "RSA-SHA512")),
    expected: unauthorized("unsupported_alg"),
  },
  // RFC 7515 §4.1.11: a recipient must reject a token whose `crit` names an extension it does not
  // implement. The authorizer implements none, so any `crit` at all is refused, well signed or not.
  verified(
    "well-signed token with crit naming an extension (b64)",
    signRs(key, accessClaims(), { kid: "k1", alg: "RS256", crit: ["b64"], b64: false }),
    unauthorized("critical_header"),
  ),
  verified(
    "well-signed token with crit naming a registered claim (exp)",
    signRs(key, accessClaims(), { kid: "k1", alg: "RS256", crit: ["exp"] }),
    unauthorized("critical_header"),
  ),
  verified(
    "well-signed token with an empty crit list",
    signRs(key, accessClaims(), { kid: "k1", alg: "RS256", crit: [] }),
    unauthorized("critical_header"),
  ),
  {
    name: "alg in lower case (rs256)",
    header: bearer(signRs(key, accessClaims(), { kid: "k1", alg: "rs256" })),
    expected: unauthorized("unsupported_alg"),
  },
  // Keys
  {
    name: "unknown kid",
    header: bearer(signRs(key, accessClaims(), { kid: "k-unknown", alg: "RS256" })),
    expected: unauthorized("unknown_kid"),
  },
  {
    name: "no kid",
    header: bearer(signRs(key, accessClaims(), { alg: "RS256" })),
    expected: unauthorized("unknown_kid"),
  },
  {
    name: "kid with path traversal",
    header: bearer(signRs(key, accessClaims(), { kid: "../../k1", alg: "RS256" })),
    expected: unauthorized("unknown_kid"),
  },
  {
    name: "right kid, other key",
    header: bearer(signRs(attacker, accessClaims())),
    expected: unauthorized("invalid_signature"),
  },
  {
    name: "attacker key embedded in the header (jwk)",
    header: bearer(signRs(attacker, accessClaims(), { kid: "k1", alg: "RS256", jwk: attacker.jwk })),
    expected: unauthorized("invalid_signature"),
  },
  {
    name: "attacker JWKS URL in the header (jku)",
    header: bearer(signRs(attacker, accessClaims(), { kid: "k1", alg: "RS256", jku: "http://127.0.0.1:1/jwks.json" })),
    expected: unauthorized("invalid_signature"),
  },
  {
    name: "signature of another token",
    header: bearer(`${validHeader}.${b64url(accessClaims({ scope: "orders/write" }))}.${validSignature}`),
    expected: unauthorized("invalid_signature"),
  },
  {
    name: "tampered payload (scope upgraded)",
    header: bearer(`${validHeader}.${b64url(accessClaims({ scope: "orders/read orders/admin" }))}.${validSignature}`),
    expected: unauthorized("invalid_signature"),
  },
  // Time
  verified("expired", signRs(key, accessClaims({ iat: now - 7200, exp: now - 3600 })), unauthorized("expired")),
  verified("nbf in the future", signRs(key, accessClaims({ nbf: now + 600 })), unauthorized("not_yet_valid")),
  verified("no exp", signRs(key, accessClaims({ exp: undefined })), unauthorized("invalid_claims")),
  {
    name: "exp as a string",
    header: bearer(signRs(key, accessClaims({ exp: String(now + 3600) }))),
    expected: unauthorized("malformed_jwt"),
  },
  // Issuer
  {
    name: "other pool's issuer",
    header: bearer(
      signRs(key, accessClaims({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_OtherPool` })),
    ),
    expected: unauthorized("wrong_issuer"),
  },
  {
    name: "look-alike issuer host",
    header: bearer(
      signRs(key, accessClaims({ iss: `https://cognito-idp.${REGION}.amazonaws.com.evil.example/${POOL_ID}` })),
    ),
    expected: unauthorized("wrong_issuer"),
  },
  {
    name: "issuer with a trailing slash",
    header: bearer(signRs(key, accessClaims({ iss: `${ISSUER}/` }))),
    expected: unauthorized("wrong_issuer"),
  },
  {
    name: "issuer over http",
    header: bearer(signRs(key, accessClaims({ iss: ISSUER.replace("https:", "http:") }))),
    expected: unauthorized("wrong_issuer"),
  },
  {
    name: "issuer in another region",
    header: bearer(signRs(key, accessClaims({ iss: `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}` }))),
    expected: unauthorized("wrong_issuer"),
  },
  {
    name: "no issuer",
    header: bearer(signRs(key, accessClaims({ iss: undefined }))),
    expected: unauthorized("wrong_issuer"),
  },
  // Token use and client
  {
    name: "id token",
    header: bearer(
      signRs(key, accessClaims({ token_use: "id", aud: CLIENT_ID, client_id: undefined, scope: undefined })),
    ),
    expected: unauthorized("wrong_token_use"),
    loggedClientId: null,
  },
  verified("missing token_use", signRs(key, accessClaims({ token_use: undefined })), unauthorized("wrong_token_use")),
  verified(
    "token_use in another case (Access)",
    signRs(key, accessClaims({ token_use: "Access" })),
    unauthorized("wrong_token_use"),
  ),
  verified(
    "a person's access token from another app client of the pool",
    signRs(
      key,
      accessClaims({
        sub: "5f3c2a1e-8d7b-4c6a-9e0f-1a2b3c4d5e6f",
        username: "alice",
        scope: "orders/read aws.cognito.signin.user.admin",
      }),
    ),
    unauthorized("not_client_credentials"),
  ),
  verified("no sub", signRs(key, accessClaims({ sub: undefined })), unauthorized("not_client_credentials")),
  {
    name: "no client_id",
    header: bearer(signRs(key, accessClaims({ client_id: undefined }))),
    expected: unauthorized("invalid_claims"),
  },
  {
    name: "client_id with path characters",
    header: bearer(signRs(key, accessClaims({ client_id: "abc/../x" }))),
    expected: unauthorized("invalid_claims"),
  },
  {
    name: "scope claim as an array",
    header: bearer(signRs(key, accessClaims({ scope: ["orders/read", "orders/write"] }))),
    expected: unauthorized("malformed_jwt"),
  },
  // Scopes: valid tokens, so the outcome is a policy, and only exact scope strings count
  verified("no scope claim", signRs(key, accessClaims({ scope: undefined })), WHOAMI_ONLY),
  verified("empty scope claim", signRs(key, accessClaims({ scope: "" })), WHOAMI_ONLY),
  verified("scope that is a prefix of a required one", signRs(key, accessClaims({ scope: "orders/rea" })), WHOAMI_ONLY),
  verified("scope in another case", signRs(key, accessClaims({ scope: "Orders/Read ORDERS/WRITE" })), WHOAMI_ONLY),
  verified(
    "scope that extends a required one",
    signRs(key, accessClaims({ scope: "orders/readx orders/read/" })),
    WHOAMI_ONLY,
  ),
  verified("scopes joined by a tab", signRs(key, accessClaims({ scope: "orders/read\torders/write" })), WHOAMI_ONLY),
  verified("wildcard scope", signRs(key, accessClaims({ scope: "* orders/*" })), WHOAMI_ONLY),
  verified(
    "__proto__ injection in the payload",
    signRs(
      key,
      JSON.stringify(accessClaims({ scope: "orders/read" })).replace(
        /^\{/,
        '{"__proto__":{"scope":"orders/write orders/admin","client_id":"evil","polluted":"yes"},',
      ),
    ),
    READ_ROUTES,
  ),
  verified(
    "constructor.prototype injection in the payload",
    signRs(
      key,
      JSON.stringify(accessClaims({ scope: "orders/read" })).replace(
        /^\{/,
        '{"constructor":{"prototype":{"polluted":"yes","scope":"orders/write"}},',
      ),
    ),
    READ_ROUTES,
  ),
  verified("the valid token (control)", valid, READ_ROUTES),
];

let server: JwksServer;
beforeAll(async () => {
  server = await startJwksServer(POOL_ID, jwksOf(key));
});
afterAll(async () => {
  await server.close();
});

test("the table has at least 25 adversarial cases", () => {
  expect(CASES.filter((c) => !c.name.includes("(control)")).length).toBeGreaterThanOrEqual(25);
});

test.each(CASES.map((c) => [c.name, c] as const))(
  "%s",
  async (_name, { header: authorization, expected, loggedClientId }) => {
    // GIVEN a cold instance and a log spy
    const logs = captureLogs();
    try {
      const { handler } = createAuthorizer({
        userPoolId: POOL_ID,
        routes: ROUTES,
        jwksCache: createJwksCache(new LocalJwksFetcher(server.port)),
      });
      // WHEN
      const outcome = await outcomeOf(handler(tokenEvent(authorization, "GET", "/orders/1")));
      // THEN the exact outcome
      const records = logs.records();
      expect(records).toHaveLength(1);
      if (expected.status === 401) {
        expect(outcome).toEqual({ status: 401 });
        expect(records[0]).toMatchObject({ decision: "unauthorized", reason: expected.reason });
      } else {
        expect(outcome.status).toBe("policy");
        if (outcome.status !== "policy") return;
        expect(outcome.result.principalId).toBe(CLIENT_ID);
        expect(outcome.result.usageIdentifierKey).toBe(CLIENT_ID);
        expect(resourcesOf(outcome.result, "Allow")).toEqual(expected.allow);
        expect(resourcesOf(outcome.result, "Deny")).toEqual(expected.deny);
        expect(records[0]).toMatchObject({ decision: expected.allow.includes("GET/orders/*") ? "allow" : "deny" });
      }
      // AND the log names a client only when the signature verified, and holds nothing of the token
      expect(records[0].clientId).toBe(loggedClientId ?? null);
      if (typeof authorization === "string") {
        const logged = logs.lines.join("\n");
        for (const part of tokenParts(authorization.replace(/^\S+\s+/, ""))) expect(logged).not.toContain(part);
        if (authorization.length > 16) expect(logged).not.toContain(authorization);
      }
      // AND nothing leaked into Object.prototype
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).scope).toBeUndefined();
    } finally {
      logs.restore();
    }
  },
);
