/**
 * The authorizer itself, as a factory: `index.ts` builds the production instance from the environment
 * at module scope, tests and the benchmark build their own with a JWKS cache they control.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { Jwks, JwksCache } from "aws-jwt-verify/jwk";
import type { JwtHeader, JwtPayload } from "aws-jwt-verify/jwt-model";
import {
  AuthorizerConfigurationError,
  JwksUnavailableError,
  TokenRejectedError,
  classifyVerifyError,
  unauthorized,
  type FailureReason,
  type RejectionReason,
} from "./errors";
import { createJwksCache } from "./jwks";
import { PolicyBuilder, findPolicyConflicts, globReachesRoute, parseMethodArn, routeArn, type MethodArn } from "./policy";
import { matchRoute, parseRoute, type ParsedRoute, type RouteRule } from "./route-table";

/** What the authorizer needs to run. */
export interface AuthorizerOptions {
  /** Cognito user pool whose access tokens are accepted, such as `eu-west-1_AbCdEf123`. */
  readonly userPoolId: string | undefined;
  /** The stage's routes and the scopes each demands. */
  readonly routes: readonly RouteRule[];
  /**
   * JWKS cache for the verifier.
   * @default - `createJwksCache()`: HTTPS to the pool's Cognito JWKS endpoint
   */
  readonly jwksCache?: JwksCache;
  /**
   * Where the one-line JSON decision records go.
   * @default console.log
   */
  readonly log?: (line: string) => void;
}

/** Authorizer context, as API Gateway hands it to the backend and the access log (`$context.authorizer.*`). */
export interface AuthorizerContext {
  readonly clientId: string;
  /** Granted scopes, space separated, as in the token. */
  readonly scopes: string;
  // API Gateway's context type wants an index signature.
  readonly [key: string]: string;
}

/** One decision, as logged. Never contains the token or any part of it. */
export interface DecisionRecord {
  readonly event: "authorizer_decision";
  /** allow/deny: for the route that triggered the call; unauthorized: 401; error: 500. */
  readonly decision: "allow" | "deny" | "unauthorized" | "error";
  readonly reason: string;
  /** Only from a token whose signature verified; null otherwise. */
  readonly clientId: string | null;
  /** Method and request path of the triggering request. */
  readonly route: string | null;
  /** The configured route it matched, such as `GET /orders/{orderId}`. */
  readonly routeKey?: string | null;
  readonly allowedRoutes?: number;
  readonly deniedRoutes?: number;
  readonly conflicts?: readonly string[];
}

export interface Authorizer {
  readonly handler: (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
  /** The verifier, exposed so a caller can preload keys with the library's `cacheJwks`. */
  readonly verifier: { cacheJwks(jwks: Jwks): void };
  readonly routes: readonly ParsedRoute[];
}

// A Cognito access token is about 1 KB, a little more with many scopes. API Gateway refuses a request
// line plus headers over 10,240 bytes, so no legitimate header is longer; anything that is, is refused
// before any decoding or signature work.
export const MAX_AUTHORIZATION_HEADER_LENGTH = 10_240;
const BEARER_SCHEME = /^bearer /i;
// Compact JWS without padding, as Cognito issues it. Stricter than the library (which accepts `=`).
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Cognito app client ids are lower-case alphanumerics. The id becomes the principal and the API key
// value, so anything else is refused rather than passed on.
const CLIENT_ID = /^[A-Za-z0-9]{1,128}$/;
const MAX_LOGGED_ROUTE = 256;

/** The JWT from an `Authorization` header value: `Bearer <jwt>`, scheme in any case, nothing else. */
export function bearerToken(header: unknown): string {
  if (typeof header !== "string" || header.length === 0) throw new TokenRejectedError("missing_token");
  if (header.length > MAX_AUTHORIZATION_HEADER_LENGTH) throw new TokenRejectedError("oversized_header");
  if (!BEARER_SCHEME.test(header)) throw new TokenRejectedError("not_bearer");
  const token = header.slice("bearer ".length);
  if (!JWT_SHAPE.test(token)) throw new TokenRejectedError("malformed_jwt");
  return token;
}

/**
 * Checks the library leaves to the caller. It runs only after the signature verified, so what it reads
 * is what Cognito signed.
 */
function cognitoAccessTokenCheck({ header, payload, jwk }: { header: JwtHeader; payload: JwtPayload; jwk: { kty: string } }): void {
  const clientId = typeof payload.client_id === "string" && CLIENT_ID.test(payload.client_id) ? payload.client_id : null;
  const reject = (reason: RejectionReason) => new TokenRejectedError(reason, clientId);
  // The library accepts RS384/512, ES* and EdDSA when the JWK allows it; Cognito signs RS256 only.
  if (header.alg !== "RS256" || jwk.kty !== "RSA") throw reject("unsupported_alg");
  // The library checks `token_use` too, but after this function; checking it first gives an id token
  // (which has no client_id) its true reason in the log.
  if (payload.token_use !== "access") throw reject("wrong_token_use");
  // The library checks `exp` only when present; a Cognito access token always carries it.
  if (typeof payload.exp !== "number") throw reject("invalid_claims");
  if (clientId === null) throw reject("invalid_claims");
  // In a client_credentials token the subject is the client itself. A signed-in person's access token
  // from another app client of the pool has the user as subject: it is not a machine user's token.
  if (payload.sub !== clientId) throw reject("not_client_credentials");
}

/** Builds an authorizer. Throws {@link AuthorizerConfigurationError} or `RouteTableError` on bad input. */
export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const { userPoolId } = options;
  if (typeof userPoolId !== "string" || userPoolId.length === 0) {
    throw new AuthorizerConfigurationError("userPoolId must be the Cognito user pool id; received nothing");
  }
  const log = options.log ?? ((line: string) => console.log(line));
  const routes = options.routes.map(parseRoute);
  const policies = new PolicyBuilder(routes);

  // Created once: it holds the JWKS and the parsed public keys for the life of the instance.
  const verifier = CognitoJwtVerifier.create(
    {
      userPoolId,
      tokenUse: "access",
      // Every app client of the pool is a machine user; which one is metered comes from the token.
      clientId: null,
      customJwtCheck: cognitoAccessTokenCheck,
      // Lets the log name the client of a well-signed but expired token; the payload is verified data.
      includeRawJwtInErrors: true,
    },
    { jwksCache: options.jwksCache ?? createJwksCache() },
  );

  const conflicts = findPolicyConflicts(routes);
  if (conflicts.length > 0) {
    log(JSON.stringify({ event: "authorizer_route_table_conflicts", conflicts }));
  }

  const record = (r: Omit<DecisionRecord, "event">): void => log(JSON.stringify({ event: "authorizer_decision", ...r }));

  async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
    const arn = parseMethodArn(event?.methodArn);
    const route = arn ? `${arn.method} /${arn.path}`.slice(0, MAX_LOGGED_ROUTE) : null;
    // Errors whose decision line is already written; anything else reaching the end is a bug.
    const recorded = new WeakSet<Error>();

    const reject = (reason: RejectionReason, clientId: string | null = null): Error => {
      record({ decision: "unauthorized", reason, clientId, route });
      const err = unauthorized();
      recorded.add(err);
      return err;
    };
    const fail = (reason: FailureReason, clientId: string | null = null): Error => {
      record({ decision: "error", reason, clientId, route });
      const err = reason === "jwks_unavailable" ? new JwksUnavailableError() : new AuthorizerConfigurationError(reason);
      recorded.add(err);
      return err;
    };

    try {
      return await decideRequest(event, arn, route, reject, fail);
    } catch (err) {
      if (err instanceof Error && recorded.has(err)) throw err;
      // An unexpected error is a 500 with its own line, never a 401 that would hide a bug among
      // rejected tokens, and never an Allow.
      throw fail("internal_error");
    }
  }

  async function decideRequest(
    event: APIGatewayTokenAuthorizerEvent,
    arn: MethodArn | undefined,
    route: string | null,
    reject: (reason: RejectionReason, clientId?: string | null) => Error,
    fail: (reason: FailureReason, clientId?: string | null) => Error,
  ): Promise<APIGatewayAuthorizerResult> {

    let token: string;
    try {
      token = bearerToken(event?.authorizationToken);
    } catch (err) {
      throw reject((err as TokenRejectedError).reason);
    }

    let payload: JwtPayload;
    try {
      payload = await verifier.verify(token);
    } catch (err) {
      const outcome = classifyVerifyError(err);
      const clientId = verifiedClientId(err);
      if (outcome instanceof TokenRejectedError) throw reject(outcome.reason, clientId);
      throw fail(outcome.failure, clientId);
    }

    const clientId = payload.client_id as string;
    if (!arn) throw fail("malformed_method_arn", clientId);

    const granted = new Set((payload.scope as string | undefined)?.split(" ").filter((s) => s.length > 0) ?? []);
    const plan = policies.plan(granted);
    const called = matchRoute(routes, arn.method, arn.path);
    const outcome = decide(plan, called, arn);
    record({
      decision: outcome.allowed ? "allow" : "deny",
      reason: outcome.reason,
      clientId,
      route,
      routeKey: called?.key ?? null,
      allowedRoutes: plan.allowed.length,
      deniedRoutes: plan.denied.length,
      ...(plan.conflicts.length > 0 ? { conflicts: plan.conflicts.map((r) => r.key) } : {}),
    });

    const context: AuthorizerContext = { clientId, scopes: [...granted].join(" ") };
    return {
      principalId: clientId,
      // The API key's value is the client id (see design.md), so no lookup is needed to meter the caller.
      usageIdentifierKey: clientId,
      policyDocument: policies.document(plan, arn.stagePrefix),
      context,
    };
  }

  return { handler, verifier, routes };
}

/** What API Gateway will do with this policy for the triggering request, for the log. */
function decide(
  plan: ReturnType<PolicyBuilder["plan"]>,
  called: ParsedRoute | undefined,
  arn: MethodArn,
): { allowed: boolean; reason: string } {
  if (plan.allowed.length === 0) return { allowed: false, reason: "no_route_allowed" };
  if (!called) return { allowed: false, reason: "unknown_route" };
  if (!plan.allowed.includes(called)) return { allowed: false, reason: "missing_scopes" };
  if (plan.conflicts.includes(called)) {
    const requested = [...`${arn.stagePrefix}/${arn.method}/${arn.path}`];
    const blocked = plan.denied.some((d) => globReachesRoute(globTokens(routeArn(arn.stagePrefix, d)), requested));
    if (blocked) return { allowed: false, reason: "policy_conflict" };
  }
  return { allowed: true, reason: "scopes_satisfied" };
}

function globTokens(arnPattern: string): (string | null)[] {
  return [...arnPattern].map((c) => (c === "*" ? null : c));
}

/** The client id of a token whose signature verified but whose claims failed (expired, wrong use...). */
function verifiedClientId(err: unknown): string | null {
  if (err instanceof TokenRejectedError) return err.verifiedClientId;
  const raw = (err as { rawJwt?: { payload?: { client_id?: unknown } } } | null)?.rawJwt;
  const id = raw?.payload?.client_id;
  return typeof id === "string" && CLIENT_ID.test(id) ? id : null;
}
