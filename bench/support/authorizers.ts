/**
 * The authorizers the benchmarks drive, as the bytes that run in Lambda: the shipped one is
 * `bundleFunction("authorizer")`, the very `index.js` the stack's TerraformAsset zips; the hand-rolled
 * comparator is bundled here with the same esbuild settings. Plus what both need to answer a request
 * without network: an RSA key pair, Cognito-shaped access tokens, the environment and a JWKS to preload.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { buildSync, type BuildOptions } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import registry from "../../__tests__/fixtures/sample-registry";
import { ROUTE_TABLE_ENV, USER_POOL_ID_ENV, serializeRouteTable } from "../../model/route-table";
import { BUNDLE_FILE_NAME, LAMBDA_BUNDLE_OPTIONS, bundleFunction } from "../../stacks/function-bundle";
import {
  POOL_ID,
  accessClaims,
  createSigningKey,
  jwksOf,
  signRs,
  type SigningKey,
} from "../../__tests__/support/tokens";

/** A bundled authorizer on disk. */
export interface AuthorizerBundle {
  readonly label: string;
  readonly file: string;
  readonly bytes: number;
}

/** What a loaded bundle offers, whichever of the two it is. */
export interface LoadedAuthorizer {
  /** The handler; Lambda passes an invocation context too (the shipped one reads its request id). */
  readonly handler: (
    event: APIGatewayTokenAuthorizerEvent,
    context?: { readonly awsRequestId: string },
  ) => Promise<APIGatewayAuthorizerResult>;
  /** The hand-rolled bundle's second handler, with each JWK converted to a key once. */
  readonly handlerWithKeyConvertedOnce?: LoadedAuthorizer["handler"];
  /** Preloads the JWKS the way a warm instance holds it after its first fetch. */
  cacheJwks(jwks: unknown): void;
}

const STAGE_PREFIX = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1";

/** How every decision line the shipped handler writes begins, for counting them in its output. */
export const DECISION_LINE_START = '{"event":"authorizer_decision",';

/** The function environment the stack sets: the pool id and the default registry's route table. */
export function authorizerEnvironment(): Record<string, string> {
  return { [USER_POOL_ID_ENV]: POOL_ID, [ROUTE_TABLE_ENV]: serializeRouteTable(registry.routes) };
}

/** The shipped artifact: `bundleFunction("authorizer")`, the `index.js` the stack zips. */
export function shippedAuthorizerBundle(): AuthorizerBundle {
  const bundle = bundleFunction("authorizer");
  return { label: "shipped authorizer", file: bundle.file, bytes: bundle.bytes };
}

let handRolled: AuthorizerBundle | undefined;

/**
 * Bundles an entry for the benchmarks with the settings of `stacks/function-bundle.ts` (plus `extra`),
 * into `<tmp>/m2m-access-bench/<folder>/index.mjs`.
 */
export function benchBundle(
  folder: string,
  label: string,
  entryPoint: string,
  extra: BuildOptions = {},
): AuthorizerBundle {
  // write: false in the shared settings: the code comes back in outputFiles.
  const code = buildSync({ ...LAMBDA_BUNDLE_OPTIONS, entryPoints: [entryPoint], ...extra }).outputFiles![0].contents;
  const directory = join(tmpdir(), "m2m-access-bench", folder);
  mkdirSync(directory, { recursive: true });
  const file = join(directory, BUNDLE_FILE_NAME);
  writeFileSync(file, code);
  return { label, file, bytes: code.byteLength };
}

/** The hand-rolled comparator, bundled with the settings of `stacks/function-bundle.ts`. */
export function handRolledAuthorizerBundle(): AuthorizerBundle {
  handRolled ??= benchBundle(
    "hand-rolled",
    "hand-rolled (jwk-to-pem + jsonwebtoken)",
    join(__dirname, "hand-rolled", "index.ts"),
    // jsonwebtoken and jwk-to-pem are CommonJS and `require` Node's modules, which an ES module must
    // get from createRequire.
    { banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' } },
  );
  return handRolled;
}

/**
 * Loads a bundle into this process with the function environment set, as Lambda's runtime does (an
 * `import()`, which waits for the module's init). Each file is loaded once per process (Node's module
 * cache), like one warm Lambda instance.
 */
export async function loadAuthorizer(bundle: AuthorizerBundle): Promise<LoadedAuthorizer> {
  Object.assign(process.env, authorizerEnvironment());
  const loaded = (await import(pathToFileURL(bundle.file).href)) as {
    handler: LoadedAuthorizer["handler"];
    handlerWithKeyConvertedOnce?: LoadedAuthorizer["handler"];
    verifier?: { cacheJwks(jwks: unknown): void };
    cacheJwks?: (jwks: unknown) => void;
  };
  const cacheJwks = loaded.verifier ? (j: unknown) => loaded.verifier!.cacheJwks(j) : loaded.cacheJwks;
  if (typeof loaded.handler !== "function" || !cacheJwks) {
    throw new Error(`${bundle.file} exports no handler and no way to preload the JWKS`);
  }
  return { handler: loaded.handler, handlerWithKeyConvertedOnce: loaded.handlerWithKeyConvertedOnce, cacheJwks };
}

/** Signing keys of the benchmark's pool and tokens they sign. */
export interface TokenFactory {
  readonly keys: readonly SigningKey[];
  /** The pool's JWKS: every key's public half. */
  readonly jwks: ReturnType<typeof jwksOf>;
  /** A valid access token of client number `index`, signed by key `index % keys.length`. */
  token(index: number, scope?: string): string;
  /** The client id in token `index`. */
  clientId(index: number): string;
}

/** `count` RSA-2048 keys (Cognito's size) and a way to mint valid access tokens with them. */
export function createTokenFactory(count = 1): TokenFactory {
  const keys = Array.from({ length: count }, (_, i) => createSigningKey(`bench-key-${i + 1}`));
  const clientId = (index: number) => `4tq0ab1cd2ef3gh4ij5kl6mn${String(index).padStart(3, "0")}`;
  return {
    keys,
    jwks: jwksOf(...keys),
    clientId,
    token: (index, scope = "orders/read inventory/read") =>
      signRs(keys[index % keys.length], accessClaims({ sub: clientId(index), client_id: clientId(index), scope })),
  };
}

/** The event API Gateway sends a TOKEN authorizer for `Bearer <token>` on `method path`. */
export function tokenEvent(token: string, method = "GET", path = "/orders/42"): APIGatewayTokenAuthorizerEvent {
  return { type: "TOKEN", authorizationToken: `Bearer ${token}`, methodArn: `${STAGE_PREFIX}/${method}${path}` };
}
