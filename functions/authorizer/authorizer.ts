/**
 * The authorizer itself, as a factory: `index.ts` builds the production instance from the environment
 * at module scope, tests and the benchmark build their own with a JWKS cache they control.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from "aws-lambda";
import { JwksNotAvailableInCacheError, KidNotFoundInJwksError } from "aws-jwt-verify/error";
import type { Jwks, JwksCache, SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { JwtHeader, JwtPayload } from "aws-jwt-verify/jwt-model";
import { AccessTokenVerifier } from "./access-token-verifier";
import { cognitoIssuers } from "./cognito-issuers";
import {
  AuthorizerConfigurationError,
  JwksUnavailableError,
  TokenRejectedError,
  classifyVerifyError,
  unauthorized,
  type FailureReason,
  type RejectionReason,
} from "./errors";
import { FailFastFetcher, createJwksCache } from "./jwks";
import { parseMethodArn, type MethodArn } from "./method-arn";
import { RouteAccess, globReachesRoute, type PolicyPlan } from "../../model/route-access";
import { matchRoute, type ParsedRoute, type RouteRule } from "../../model/route-table";
import { policyDocument, routeArn } from "./policy";
import { parseRoute } from "./route-table";
import { stdoutLog, type LogLine } from "./stdout-log";

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
   * Where the one-line JSON records go.
   * @default - `stdoutLog()`: one `writeSync` per line to stdout, which Lambda sends to CloudWatch as
   * it is, one event per line
   */
  readonly log?: LogLine;
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
  /** Read by Lambda's application log-level filter (JSON log format): ERROR for a 500, INFO otherwise. */
  readonly level: "INFO" | "ERROR";
  /** Lambda's id of the invocation, which Lambda's console would have put in front of the line. */
  readonly requestId: string | null;
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

/** What one client with one scope claim gets on one stage, whatever route it calls. */
interface Answer {
  /** The token's `scope` claim this answer is for. */
  readonly scope: string;
  readonly stagePrefix: string;
  readonly plan: PolicyPlan;
  /** Frozen to the last array: the same object answers every request it fits. */
  readonly result: APIGatewayAuthorizerResult;
}

/** What the handler reads of Lambda's invocation context. */
export type InvocationContext = Pick<Context, "awsRequestId">;

export interface Authorizer {
  readonly handler: (
    event: APIGatewayTokenAuthorizerEvent,
    context?: InvocationContext,
  ) => Promise<APIGatewayAuthorizerResult>;
  /** The verifier, exposed so a caller can preload keys with the library's `cacheJwks`. */
  readonly verifier: { cacheJwks(jwks: Jwks): void };
  /**
   * Fetches the pool's JWKS now (the library's `hydrate()`), so that the first request finds the keys
   * in memory. Never rejects: a failed fetch is logged once, and the next request fetches again.
   */
  prefetchJwks(): Promise<void>;
}

// A Cognito access token is about 1 KB, a little more with many scopes. API Gateway refuses a request
// line plus headers over 10,240 bytes, so no legitimate header is longer; anything that is, is refused
// before any decoding or signature work.
export const MAX_AUTHORIZATION_HEADER_LENGTH = 10_240;
const BEARER_SCHEME = /^bearer /i;
// Cognito app client ids are lower-case alphanumerics. The id becomes the principal and the API key
// value, so anything else is refused rather than passed on.
const CLIENT_ID = /^[A-Za-z0-9]{1,128}$/;
// Answers kept, one per client id. Only tokens Cognito signed reach the memo, so the ids are the pool's
// app clients; the bound guards memory all the same.
const MAX_MEMOISED_ANSWERS = 1_000;

/** The JWT from an `Authorization` header value: `Bearer <jwt>`, scheme in any case, nothing else. */
export function bearerToken(header: unknown): string {
  if (typeof header !== "string" || header.length === 0) throw new TokenRejectedError("missing_token");
  if (header.length > MAX_AUTHORIZATION_HEADER_LENGTH) throw new TokenRejectedError("oversized_header");
  if (!BEARER_SCHEME.test(header)) throw new TokenRejectedError("not_bearer");
  const token = header.slice("bearer ".length);
  // The library checks the compact-JWS shape (three base64url parts) but allows `=` padding, which
  // Cognito never emits. Padding on the header or payload changes the signed text, so the signature
  // refuses it; padding on the signature would not, and it can only end the token. Looking at the
  // last character, not searching all of the token, measured cheaper per request.
  if (token.length === 0 || token.endsWith("=")) throw new TokenRejectedError("malformed_jwt");
  return token;
}

/**
 * Checks the library leaves to the caller. It runs only after the signature verified, so what it reads
 * is what Cognito signed.
 */
function cognitoAccessTokenCheck({
  header,
  payload,
  jwk,
}: {
  header: JwtHeader;
  payload: JwtPayload;
  jwk: { kty: string };
}): void {
  const clientId =
    typeof payload.client_id === "string" && CLIENT_ID.test(payload.client_id) ? payload.client_id : null;
  const reject = (reason: RejectionReason) => new TokenRejectedError(reason, clientId);
  // The library accepts RS384/512, ES* and EdDSA when the JWK allows it; Cognito signs RS256 only.
  if (header.alg !== "RS256" || jwk.kty !== "RSA") throw reject("unsupported_alg");
  // RFC 7515 §4.1.11: extensions named in `crit` must be understood or the token refused. Cognito
  // sets no `crit` and this authorizer understands no extension, so any `crit` is a refusal (the
  // library ignores the header).
  if (header.crit !== undefined) throw reject("critical_header");
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
  const issuers = cognitoIssuers(options.userPoolId);
  const log = options.log ?? stdoutLog();
  const routes = options.routes.map(parseRoute);
  const access = new RouteAccess(routes);
  const jwksCache = options.jwksCache ?? createJwksCache();

  // Created once: it holds the JWKS and the parsed public keys for the life of the instance.
  const jwtVerifier = new AccessTokenVerifier(
    issuers.map((issuer) => ({
      issuer,
      // Cognito access tokens carry no `aud`; the client is `client_id`, checked by the custom check.
      audience: null,
      customJwtCheck: cognitoAccessTokenCheck,
      // Lets the log name the client of a well-signed but expired token; the payload is verified data.
      includeRawJwtInErrors: true,
    })),
    jwksCache,
  );
  const verifier = {
    /** Preloads `jwks` as the keys of both issuer forms, as `CognitoJwtVerifier.cacheJwks` does. */
    cacheJwks: (jwks: Jwks): void => issuers.forEach((issuer) => jwtVerifier.cacheJwks(jwks, issuer)),
  };

  /**
   * Verifies with the keys in memory when it can: `verifySync` runs the same checks without the chain of
   * promises `verify` goes through, which is most of the library's overhead on a warm instance. Only when
   * the key is not in memory (cold start, rotation, unknown `kid`) does it take the async path, which may
   * fetch the JWKS.
   */
  function verifyToken(token: string): JwtPayload | Promise<JwtPayload> {
    try {
      return jwtVerifier.verifySync(token);
    } catch (err) {
      if (err instanceof JwksNotAvailableInCacheError || err instanceof KidNotFoundInJwksError)
        return jwtVerifier.verify(token);
      throw err;
    }
  }

  async function prefetchJwks(): Promise<void> {
    try {
      await jwtVerifier.hydrate();
    } catch (err) {
      const outcome = classifyVerifyError(err);
      const reason = outcome instanceof TokenRejectedError ? "internal_error" : outcome.failure;
      log(`{"event":"authorizer_jwks_prefetch","level":"WARN","outcome":"failed","reason":"${reason}"}`);
      // The fetch back-off is for request bursts during an outage; a failed prefetch must not make
      // the first request fail fast instead of trying again.
      const { fetcher } = jwksCache as Partial<SimpleJwksCache>;
      if (fetcher instanceof FailFastFetcher) fetcher.forgetFailures();
    }
  }

  /**
   * One answer per client id, for the scope claim and stage it last came with. A machine client asks
   * for the same scopes with every token and an instance serves one stage, so the answer fits nearly
   * every request; keying on the id alone is cheaper than on all three (the benchmark measured it), and a
   * client that alternates scope sets is answered right, only rebuilt on each change.
   */
  const answers = new Map<string, Answer>();
  /** The answer for a client with these scopes on this stage, the same for every route it calls. */
  function answerFor(clientId: string, scopeClaim: unknown, stagePrefix: string): Answer {
    const scope = typeof scopeClaim === "string" ? scopeClaim : "";
    const known = answers.get(clientId);
    if (known !== undefined && known.scope === scope && known.stagePrefix === stagePrefix) return known;
    const granted = new Set(scope.split(" "));
    // What two spaces in a row, or one at either end, leave between them.
    granted.delete("");
    const plan = access.plan(granted);
    const result: APIGatewayAuthorizerResult = deepFreeze({
      principalId: clientId,
      // The API key's value is the client id (see design.md), so no lookup is needed to meter the caller.
      usageIdentifierKey: clientId,
      policyDocument: policyDocument(plan, stagePrefix),
      context: { clientId, scopes: [...granted].join(" ") } satisfies AuthorizerContext,
    });
    const answer: Answer = { scope, stagePrefix, plan, result };
    // A client already in the memo only has its answer replaced; only a new one can make room for itself.
    if (known === undefined && answers.size >= MAX_MEMOISED_ANSWERS) answers.delete(answers.keys().next().value!);
    answers.set(clientId, answer);
    return answer;
  }

  async function handler(
    event: APIGatewayTokenAuthorizerEvent,
    context?: InvocationContext,
  ): Promise<APIGatewayAuthorizerResult> {
    const arn = parseMethodArn(event?.methodArn);
    const requestId = typeof context?.awsRequestId === "string" ? JSON.stringify(context.awsRequestId) : "null";
    const route = arn?.routeJson ?? "null";
    let clientId: string | null = null;
    let line: string;
    let result: APIGatewayAuthorizerResult;
    try {
      const token = bearerToken(event?.authorizationToken);
      const payload = await verifyToken(token);
      clientId = payload.client_id as string;
      if (!arn) throw new AuthorizerConfigurationError("malformed_method_arn");
      const answer = answerFor(clientId, payload.scope, arn.stagePrefix);
      const called = matchRoute(routes, arn.method, arn.path);
      line = decisionLine(requestId, allowOrDenyFields(answer, called, arn), route);
      result = answer.result;
    } catch (err) {
      // One line per request, whatever failed: a rejected token (401), keys that cannot be had, or a
      // bug (500, never a 401 that would hide it among rejected tokens, and never an Allow). Only the
      // verify step calls the library, so only it can throw the library's errors that mean a 401.
      const refusal = refusalFor(err);
      const fields = decisionFields(refusal.decision, refusal.reason, verifiedClientId(err) ?? clientId, "");
      log(decisionLine(requestId, fields, route, refusal.decision === "error" ? "ERROR" : "INFO"));
      throw refusal.error;
    }
    log(line);
    return result;
  }

  return { handler, verifier, prefetchJwks };
}

/** The reason of the one allow decision; every other reason is a deny. */
const ALLOWED = "scopes_satisfied";

/** What API Gateway will do with this policy for the triggering request, as the log's reason. */
function decide(plan: PolicyPlan, called: ParsedRoute | undefined, arn: MethodArn): string {
  if (plan.allowed.length === 0) return "no_route_allowed";
  if (!called) return "unknown_route";
  if (!plan.allowed.includes(called)) return "missing_scopes";
  if (plan.conflicts.includes(called)) {
    const requested = [...`${arn.stagePrefix}/${arn.method}/${arn.path}`];
    const blocked = plan.denied.some((d) => globReachesRoute(globTokens(routeArn(arn.stagePrefix, d)), requested));
    if (blocked) return "policy_conflict";
  }
  return ALLOWED;
}

/** The decision fields of an allow or a deny, for an answer and the route called. */
function allowOrDenyFields(answer: Answer, called: ParsedRoute | undefined, arn: MethodArn): string {
  const { plan } = answer;
  const reason = decide(plan, called, arn);
  const conflicts = plan.conflicts.length > 0 ? `,"conflicts":${JSON.stringify(plan.conflicts.map((r) => r.key))}` : "";
  // A route key is JSON as it is between quotes: parseRoute admits only the methods of HTTP_METHODS
  // and paths of letters, digits, ".", "_", "-", "/" and braces.
  const routeKey = called === undefined ? "null" : `"${called.key}"`;
  return decisionFields(
    reason === ALLOWED ? "allow" : "deny",
    reason,
    answer.result.principalId,
    `,"routeKey":${routeKey},"allowedRoutes":${plan.allowed.length},"deniedRoutes":${plan.denied.length}${conflicts}`,
  );
}

/**
 * The decision line, built by hand rather than with `JSON.stringify` of an object: every value is one
 * of our own constants, a client id that passed CLIENT_ID, a number, or JSON already (`requestId`,
 * `fields`, `route`).
 */
function decisionLine(
  requestId: string,
  fields: string,
  route: string,
  level: DecisionRecord["level"] = "INFO",
): string {
  return `{"event":"authorizer_decision","level":"${level}","requestId":${requestId}${fields},"route":${route}}`;
}

/** The line's fields, JSON from `,"decision"` to before `,"route"`; `tail` is JSON from a comma on, or empty. */
function decisionFields(
  decision: DecisionRecord["decision"],
  reason: string,
  clientId: string | null,
  tail: string,
): string {
  const client = clientId === null ? "null" : `"${clientId}"`;
  return `,"decision":"${decision}","reason":"${reason}","clientId":${client}${tail}`;
}

/** The line's decision and reason for an error thrown while deciding, and the error the handler throws. */
function refusalFor(err: unknown): {
  readonly decision: "unauthorized" | "error";
  readonly reason: RejectionReason | FailureReason;
  readonly error: Error;
} {
  if (err instanceof AuthorizerConfigurationError) {
    return { decision: "error", reason: err.message as FailureReason, error: err };
  }
  const outcome = classifyVerifyError(err);
  if (outcome instanceof TokenRejectedError) {
    return { decision: "unauthorized", reason: outcome.reason, error: unauthorized() };
  }
  const { failure } = outcome;
  return {
    decision: "error",
    reason: failure,
    error: failure === "jwks_unavailable" ? new JwksUnavailableError() : new AuthorizerConfigurationError(failure),
  };
}

function globTokens(arnPattern: string): (string | null)[] {
  return [...arnPattern].map((c) => (c === "*" ? null : c));
}

/** Freezes `value` and everything in it, so that no caller can change an answer the memo hands out again. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The client id of a token whose signature verified but whose claims failed (expired, wrong use...). */
function verifiedClientId(err: unknown): string | null {
  const id =
    err instanceof TokenRejectedError
      ? err.verifiedClientId
      : (err as { rawJwt?: { payload?: { client_id?: unknown } } } | null)?.rawJwt?.payload?.client_id;
  return typeof id === "string" && CLIENT_ID.test(id) ? id : null;
}
