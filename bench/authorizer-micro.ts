/**
 * Per-request cost of the authorizer next to a bare RS256 signature check of the same token, in one run.
 *
 *   npx tsx bench/authorizer-micro.ts [--iterations 5000] [--rounds 7] [--json]
 *
 * Measured, warm (JWKS cached, as on every request after the first of an instance):
 * - bare:     `crypto.verify` RS256 of the token's signing input, key object prepared once;
 * - library:  aws-jwt-verify `CognitoJwtVerifier.verify` of the token (what the handler calls);
 * - handler:  the authorizer handler from source, decision line serialised but not written;
 * - bundle:   the shipped esbuild bundle's handler, console.log stubbed out.
 * The measures alternate round by round so drift hits all alike; the median round is reported.
 */
import { createPublicKey, createSign, generateKeyPairSync, verify } from "node:crypto";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { createAuthorizer } from "../functions/authorizer/authorizer";
import { ROUTE_TABLE_ENV, USER_POOL_ID_ENV, serializeRouteTable, type RouteRule } from "../functions/authorizer/route-table";
import { bundleFunction } from "../stacks/function-bundle";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ITERATIONS = flag("iterations", 5_000);
const ROUNDS = flag("rounds", 7);
const JSON_OUT = args.includes("--json");

const POOL_ID = "eu-west-1_BenchPool1";
const CLIENT_ID = "4tq0ab1cd2ef3gh4ij5kl6mn7o";
const ROUTES: RouteRule[] = [
  { method: "GET", path: "/whoami", scopes: [] },
  { method: "GET", path: "/orders", scopes: ["orders/read"] },
  { method: "POST", path: "/orders", scopes: ["orders/write"] },
  { method: "GET", path: "/orders/{orderId}", scopes: ["orders/read"] },
  { method: "DELETE", path: "/orders/{orderId}", scopes: ["orders/write"] },
  { method: "GET", path: "/inventory/items/{sku}", scopes: ["inventory/read"] },
  { method: "POST", path: "/inventory/items/{sku}/reservations", scopes: ["inventory/read", "inventory/reserve"] },
];

// A Cognito-shaped access token, RS256 with a 2048-bit key as Cognito uses.
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...(publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string }), kid: "k1", alg: "RS256", use: "sig" };
const now = Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const signingInput = `${b64({ kid: "k1", alg: "RS256" })}.${b64({
  sub: CLIENT_ID,
  token_use: "access",
  scope: "orders/read inventory/read",
  auth_time: now,
  iss: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL_ID}`,
  exp: now + 3600,
  iat: now,
  version: 2,
  jti: "0b5c7a3e-1f2d-4c8b-9e6a-3d2f1a0b9c8d",
  client_id: CLIENT_ID,
})}`;
const token = `${signingInput}.${createSign("RSA-SHA256").update(signingInput).sign(privateKey).toString("base64url")}`;
const event: APIGatewayTokenAuthorizerEvent = {
  type: "TOKEN",
  authorizationToken: `Bearer ${token}`,
  methodArn: "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/orders/42",
};

// Contenders
const keyObject = createPublicKey({ key: jwk, format: "jwk" });
function bare(): boolean {
  const dot = token.lastIndexOf(".");
  return verify("RSA-SHA256", Buffer.from(token.slice(0, dot)), keyObject, Buffer.from(token.slice(dot + 1), "base64url"));
}

const libraryVerifier = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: "access", clientId: null });
libraryVerifier.cacheJwks({ keys: [jwk] });

const fromSource = createAuthorizer({ userPoolId: POOL_ID, routes: ROUTES, log: () => undefined });
fromSource.verifier.cacheJwks({ keys: [jwk] });

const bundle = bundleFunction("authorizer");
process.env[USER_POOL_ID_ENV] = POOL_ID;
process.env[ROUTE_TABLE_ENV] = serializeRouteTable(ROUTES);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shipped = require(bundle.file) as {
  handler: (e: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
  verifier: { cacheJwks(jwks: unknown): void };
};
shipped.verifier.cacheJwks({ keys: [jwk] });

type Contender = { name: string; run: () => unknown | Promise<unknown> };
const contenders: Contender[] = [
  { name: "bare crypto.verify RS256", run: bare },
  { name: "aws-jwt-verify verify", run: () => libraryVerifier.verify(token) },
  { name: "handler (source)", run: () => fromSource.handler(event) },
  { name: "handler (shipped bundle)", run: () => shipped.handler(event) },
];

async function measure(c: Contender): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await c.run();
  return Number(process.hrtime.bigint() - start) / 1_000 / ITERATIONS;
}

async function main(): Promise<void> {
  // Sanity: every contender accepts the token, and the handlers allow this request.
  if (!bare()) throw new Error("bare verify rejected the token");
  const realLog = console.log;
  console.log = () => undefined;
  try {
    const results = [await fromSource.handler(event), await shipped.handler(event)];
    for (const r of results) if (r.principalId !== CLIENT_ID || r.policyDocument.Statement[0].Effect !== "Allow") throw new Error("handler did not allow");
    for (const c of contenders) await measure({ ...c, run: c.run }); // warm-up (JIT, key caches, plan memo)
    const perRound = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (let r = 0; r < ROUNDS; r++) for (const c of contenders) perRound.get(c.name)!.push(await measure(c));
    console.log = realLog;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const bareMedian = median(perRound.get(contenders[0].name)!);
    const rows = contenders.map((c) => {
      const m = median(perRound.get(c.name)!);
      return { name: c.name, microseconds: Number(m.toFixed(2)), vsBare: Number((m / bareMedian).toFixed(2)) };
    });
    const summary = { node: process.version, iterations: ITERATIONS, rounds: ROUNDS, bundleBytes: bundle.bytes, results: rows };
    if (JSON_OUT) {
      console.log(JSON.stringify(summary));
    } else {
      console.log(`node ${process.version}, ${ROUNDS} rounds x ${ITERATIONS} calls, median round; authorizer bundle ${bundle.bytes} bytes`);
      for (const r of rows) console.log(`${r.name.padEnd(28)} ${r.microseconds.toFixed(2).padStart(8)} µs/request  ${r.vsBare.toFixed(2)}x bare`);
    }
  } finally {
    console.log = realLog;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
