/**
 * The comparator: a Cognito TOKEN authorizer written the way many tutorials write it, for the
 * benchmark only. Per request it converts the JWK to PEM with `jwk-to-pem` and verifies with
 * `jsonwebtoken` (which parses that PEM into a key again), then checks the route's scopes. Nothing is
 * cached but the JWKS document itself, as in the popular approach.
 *
 * It is a fair opponent, not a straw man: it verifies the signature, the algorithm, the issuer, the
 * expiry and `token_use`, and refuses what the shipped handler refuses on the benchmark's paths.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import jwt, { type JwtPayload } from "jsonwebtoken";
import jwkToPem from "jwk-to-pem";
import { createPublicKey, type KeyObject } from "node:crypto";

/** One JWK of the pool's JWKS, as Cognito publishes it (RSA: `n`, `e`). */
export interface PoolJwk {
  readonly kid?: string;
  readonly kty: string;
  readonly n?: string;
  readonly e?: string;
  readonly alg?: string;
  readonly use?: string;
}

/** One route and the scopes it demands (the `ROUTE_TABLE` format). */
export interface HandRolledRoute {
  readonly method: string;
  readonly path: string;
  readonly scopes: readonly string[];
}

/** What the hand-rolled authorizer needs. */
export interface HandRolledOptions {
  /** Cognito user pool id, such as `eu-west-1_AbCdEf123`. */
  readonly userPoolId: string;
  readonly routes: readonly HandRolledRoute[];
  /**
   * Convert each JWK to a key once and keep it, instead of once per request: the obvious fix of the
   * tutorial code, measured beside it so the comparison is not only against its slowest form.
   * @default false
   */
  readonly convertKeyOnce?: boolean;
}

export interface HandRolledAuthorizer {
  readonly handler: (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
  /** Stands in for the JWKS download a real one does at cold start. */
  cacheJwks(jwks: { readonly keys: readonly PoolJwk[] }): void;
}

function unauthorized(): Error {
  return new Error("Unauthorized");
}

function routePattern(path: string): RegExp {
  const body = path
    .split("/")
    .map((segment) => (/^\{.+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${body}$`);
}

export function createHandRolledAuthorizer(options: HandRolledOptions): HandRolledAuthorizer {
  const region = options.userPoolId.split("_")[0];
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${options.userPoolId}`;
  const routes = options.routes.map((r) => ({ ...r, pattern: routePattern(r.path) }));
  let keys: readonly PoolJwk[] = [];
  const converted = new Map<PoolJwk, KeyObject>();
  const keyOnce = (jwk: PoolJwk): KeyObject => {
    let key = converted.get(jwk);
    if (!key) converted.set(jwk, (key = createPublicKey(jwkToPem(jwk as jwkToPem.RSA))));
    return key;
  };

  async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
    const token = event.authorizationToken?.replace(/^Bearer /i, "");
    if (!token) throw unauthorized();
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === "string") throw unauthorized();
    const jwk = keys.find((k) => k.kid === decoded.header.kid);
    if (!jwk || jwk.kty !== "RSA") throw unauthorized();

    // The per-request work that makes this approach slow: JWK → PEM, then PEM → key inside verify.
    const key = options.convertKeyOnce ? keyOnce(jwk) : jwkToPem(jwk as jwkToPem.RSA);
    let claims: JwtPayload;
    try {
      claims = jwt.verify(token, key, { algorithms: ["RS256"], issuer }) as JwtPayload;
    } catch {
      throw unauthorized();
    }
    if (claims.token_use !== "access" || typeof claims.client_id !== "string") throw unauthorized();

    // methodArn: arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path…>
    const [, stage, method, ...path] = event.methodArn.split(":")[5].split("/");
    const requestPath = `/${path.join("/")}`;
    const route = routes.find((r) => r.method === method && r.pattern.test(requestPath));
    const granted = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
    if (!route || !route.scopes.every((s) => granted.includes(s))) throw unauthorized();

    return {
      principalId: claims.client_id,
      usageIdentifierKey: claims.client_id,
      policyDocument: {
        Version: "2012-10-17",
        Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }],
      },
      context: { clientId: claims.client_id, scopes: granted.join(" "), stage },
    };
  }

  return { handler, cacheJwks: (jwks) => void (keys = jwks.keys) };
}
