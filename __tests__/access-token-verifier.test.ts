/**
 * The handler's verifier reads a token's header and payload with a plain `JSON.parse` only where
 * aws-jwt-verify's prototype-safe parse would give the same objects; every other token, and every token
 * the library refuses while decomposing it, goes the library's way with the library's error. These tests
 * hold the two ways against each other: the decomposition, case by case and under a bounded fuzz, and
 * the verification, result for result and error for error.
 */
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";
import { JwtVerifier } from "aws-jwt-verify/jwt-verifier";
import { AccessTokenVerifier, plainDecomposition } from "../functions/authorizer/access-token-verifier";
import { ISSUER, accessClaims, b64url, createSigningKey, jwksOf, signRs } from "./support/tokens";

const key = createSigningKey("k1");
const attacker = createSigningKey("k1");
const HEADER = { kid: key.kid, alg: "RS256" };
/** A token with this header and payload (objects, or raw JSON text) and a signature that is not checked here. */
const unsigned = (payload: object | string, header: object | string = HEADER) =>
  `${b64url(header)}.${b64url(payload)}.c2lnbmF0dXJl`;

/** What the library's own decomposition gives, or the error it throws. */
function libraryDecomposition(jwt: string): ReturnType<typeof decomposeUnverifiedJwt> | Error {
  try {
    return decomposeUnverifiedJwt(jwt);
  } catch (err) {
    return err as Error;
  }
}

interface DecompositionCase {
  readonly name: string;
  readonly token: string;
  /** Whether the plain parse takes it; where it does not, the library decomposes it (or refuses it). */
  readonly plain: boolean;
}

const CASES: readonly DecompositionCase[] = [
  { name: "a Cognito access token", token: signRs(key, accessClaims()), plain: true },
  { name: "UTF-8 in a claim", token: unsigned(accessClaims({ note: "Grüße ✓ 🚀 日本" })), plain: true },
  { name: "nested objects and arrays", token: unsigned({ ctx: { a: [1, { b: "c" }, null] } }), plain: true },
  { name: "no claims at all", token: unsigned({}), plain: true },
  { name: "aud as one string", token: unsigned(accessClaims({ aud: "orders" })), plain: true },
  { name: "claims the library does not type-check", token: unsigned({ version: "2", auth_time: null }), plain: true },
  {
    name: "bytes that are not UTF-8 (both decode them to U+FFFD)",
    token: `${b64url(HEADER)}.${b64url(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))}.c2ln`,
    plain: true,
  },
  { name: "nested 1,000 deep", token: unsigned(`{"a":${"[".repeat(1_000)}${"]".repeat(1_000)}}`), plain: true },
  { name: "a payload over 2,046 bytes", token: unsigned(accessClaims({ note: "n".repeat(2_046) })), plain: false },
  { name: "aud as an array", token: unsigned(accessClaims({ aud: ["a", "b"] })), plain: false },
  { name: "a __proto__ key", token: unsigned('{"sub":"x","__proto__":{"polluted":true}}'), plain: false },
  { name: "a nested __proto__ key", token: unsigned('{"ctx":{"__proto__":{"polluted":true}}}'), plain: false },
  {
    name: "a constructor key in the header",
    token: unsigned({}, '{"alg":"RS256","constructor":{"a":1}}'),
    plain: false,
  },
  {
    name: "a __proto__ key spelt with an escape",
    token: unsigned('{"\\u005f_proto__":{"polluted":true}}'),
    plain: false,
  },
  { name: "an escape in a value", token: unsigned(accessClaims({ note: 'say "hi"' })), plain: false },
  { name: "constructor in a value", token: unsigned(accessClaims({ scope: "constructor/read" })), plain: false },
  { name: "alg in the payload, not a string", token: unsigned({ alg: 1 }), plain: false },
  { name: "iss in the header, not a string", token: unsigned({}, { alg: "RS256", iss: 7 }), plain: false },
  { name: "padding on the header", token: `${b64url(HEADER)}=.${b64url({})}.c2ln`, plain: false },
  {
    name: "nested 10,000 deep (the library's reviver overflows the stack, the plain parse would not)",
    token: unsigned(`{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}`),
    plain: false,
  },
  { name: "exp as a string", token: unsigned(accessClaims({ exp: "9999999999" })), plain: false },
  { name: "exp too large for a double", token: unsigned('{"exp":1e400}'), plain: false },
  { name: "iss as a number", token: unsigned(accessClaims({ iss: 1 })), plain: false },
  { name: "scope as an array", token: unsigned(accessClaims({ scope: ["orders/read"] })), plain: false },
  { name: "kid as a number", token: unsigned({}, { alg: "RS256", kid: 1 }), plain: false },
  { name: "alg null", token: unsigned({}, { alg: null }), plain: false },
  { name: "a header that is an array", token: unsigned({}, "[]"), plain: false },
  { name: "a payload that is null", token: unsigned("null"), plain: false },
  { name: "a payload that is not JSON", token: unsigned("{sub:1}"), plain: false },
  { name: "a header that is not JSON", token: unsigned({}, "RS256"), plain: false },
  { name: "a character outside base64url", token: `${b64url(HEADER)}.${b64url({})}.c2ln!`, plain: false },
  { name: "two parts", token: `${b64url(HEADER)}.${b64url({})}`, plain: false },
  { name: "nothing", token: "", plain: false },
];

describe("plainDecomposition", () => {
  test.each(CASES)("$name", ({ token, plain }) => {
    const library = libraryDecomposition(token);
    const ours = plainDecomposition(token);
    // Never where the library throws; where it does not, the library's result exactly, or nothing.
    if (library instanceof Error) expect(plain).toBe(false);
    if (plain) expect(ours).toStrictEqual(library);
    else expect(ours).toBeUndefined();
  });

  test("takes exactly the cases marked plain, and declines every one the library refuses", () => {
    const taken = CASES.filter(({ token }) => plainDecomposition(token) !== undefined).map(({ name }) => name);
    const refused = CASES.filter(({ token }) => libraryDecomposition(token) instanceof Error).map(({ name }) => name);
    expect(taken).toEqual([
      "a Cognito access token",
      "UTF-8 in a claim",
      "nested objects and arrays",
      "no claims at all",
      "aud as one string",
      "claims the library does not type-check",
      "bytes that are not UTF-8 (both decode them to U+FFFD)",
      "nested 1,000 deep",
    ]);
    expect(refused).toEqual([
      "nested 10,000 deep (the library's reviver overflows the stack, the plain parse would not)",
      "exp as a string",
      "exp too large for a double",
      "iss as a number",
      "scope as an array",
      "kid as a number",
      "alg null",
      "a header that is an array",
      "a payload that is null",
      "a payload that is not JSON",
      "a header that is not JSON",
      "a character outside base64url",
      "two parts",
      "nothing",
    ]);
  });

  test("gives the library's decomposition or nothing for 3,000 mutations of a Cognito payload", () => {
    // GIVEN a seeded generator (mulberry32) and pieces a mutation inserts: JSON's punctuation, the keys
    // the safe parse strips, numbers JSON reads as Infinity, and claims of the wrong type
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const PIECES = ['"', "{", "}", "[", "]", ":", ",", "\\", "\\u005f", "__proto__", "constructor", "1e400", "null"];
    const PIECES_MORE = [...PIECES, '"exp":"1",', '"aud":[1],', '"iss":2,', '"scope":{},', "é", "0", " "];
    const original = JSON.stringify(accessClaims());
    let taken = 0;
    let refused = 0;
    // WHEN each mutation inserts, deletes or replaces up to three pieces of the payload text
    for (let i = 0; i < 3_000; i++) {
      let text = original;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * text.length);
        const cut = pick([0, 0, 1, 3]);
        text = text.slice(0, at) + (cut === 3 ? "" : pick(PIECES_MORE)) + text.slice(at + cut);
      }
      const token = unsigned(text);
      const library = libraryDecomposition(token);
      const ours = plainDecomposition(token);
      // THEN it is the library's result whenever it gives one, and it gives none where the library throws
      if (ours !== undefined) {
        expect(library).not.toBeInstanceOf(Error);
        expect(ours).toStrictEqual(library);
        taken++;
      }
      if (library instanceof Error) refused++;
    }
    // AND the mutations reach all three outcomes, so the loop tests something
    expect(taken).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
    expect(3_000 - taken - refused).toBeGreaterThan(100);
  });
});

describe("AccessTokenVerifier", () => {
  const issuers = [{ issuer: ISSUER, audience: null }];
  const ours = new AccessTokenVerifier(issuers, new SimpleJwksCache());
  const library = JwtVerifier.create(issuers);
  ours.cacheJwks(jwksOf(key), ISSUER);
  library.cacheJwks(jwksOf(key), ISSUER);
  const now = Math.floor(Date.now() / 1000);
  const polluting = signRs(
    key,
    `{"sub":"c","iss":"${ISSUER}","exp":${now + 600},"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}`,
  );

  /** The arity of every `JSON.parse` call made while running `work`: 1 = plain, 2 = with a reviver. */
  function parseArities(work: () => unknown): number[] {
    const parse = jest.spyOn(JSON, "parse");
    try {
      work();
      return parse.mock.calls.map((args) => args.filter((arg) => arg !== undefined).length);
    } finally {
      parse.mockRestore();
    }
  }

  /** The class and message of the error `verify` throws, or "verified". */
  function outcome(verify: () => unknown): string {
    try {
      verify();
      return "verified";
    } catch (err) {
      return `${(err as Error).constructor.name}: ${(err as Error).message}`;
    }
  }

  test("verifies a Cognito access token with two plain parses, to the library's payload", () => {
    const token = signRs(key, accessClaims());
    let payload: unknown;
    expect(parseArities(() => (payload = ours.verifySync(token)))).toEqual([1, 1]);
    expect(payload).toStrictEqual(library.verifySync(token));
  });

  test("verifies a token with __proto__ and constructor keys the library's way: stripped, no prototype touched", async () => {
    let payload: Record<string, unknown> = {};
    expect(parseArities(() => (payload = ours.verifySync(polluting)))).toEqual([2, 2]);
    expect(payload).toStrictEqual(library.verifySync(polluting));
    expect(Object.keys(payload)).toEqual(["sub", "iss", "exp"]);
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect((payload as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    await expect(ours.verify(polluting)).resolves.toStrictEqual(payload);
  });

  test("goes the library's way whenever verify properties are given, and applies them", () => {
    const token = signRs(key, accessClaims());
    expect(parseArities(() => ours.verifySync(token, { audience: null }))).toEqual([2, 2]);
    expect(outcome(() => ours.verifySync(token, { audience: "orders" }))).toBe(
      "JwtInvalidAudienceError: Missing Audience. Expected: orders",
    );
  });

  const refusedTokens: readonly (readonly [string, string])[] = [
    ["signed by another key", signRs(attacker, accessClaims())],
    ["from another issuer", signRs(key, accessClaims({ iss: `${ISSUER}x` }))],
    ["expired", signRs(key, accessClaims({ exp: now - 60 }))],
    ["not yet valid", signRs(key, accessClaims({ nbf: now + 600 }))],
    ["with an unknown kid", signRs(key, accessClaims(), { kid: "k2", alg: "RS256" })],
    ...CASES.filter(({ token }) => libraryDecomposition(token) instanceof Error).map(
      ({ name, token }) => [name, token] as const,
    ),
  ];

  test.each(refusedTokens)("refuses a token %s with the library's error", (_name, token) => {
    const expected = outcome(() => library.verifySync(token));
    expect(expected).not.toBe("verified");
    expect(outcome(() => ours.verifySync(token))).toBe(expected);
  });

  test("names the library's errors for the first five refusals", () => {
    expect(refusedTokens.slice(0, 5).map(([, token]) => outcome(() => ours.verifySync(token)))).toEqual([
      "JwtInvalidSignatureError: Invalid signature",
      `JwtInvalidIssuerError: Issuer not allowed: ${ISSUER}x. Expected: ${ISSUER}`,
      expect.stringMatching(/^JwtExpiredError: Token expired at /),
      expect.stringMatching(/^JwtNotBeforeError: Token can't be used before /),
      "KidNotFoundInJwksError: JWK for kid k2 not found in the JWKS",
    ]);
  });
});
