/**
 * How the authorizer fails, and how each failure maps to what API Gateway answers.
 *
 * API Gateway turns exactly `Error("Unauthorized")` into a 401; any other thrown error becomes a 500
 * (`AuthorizerFailure`). The named classes below carry the reason for the log line; the handler converts
 * them at its boundary, so no other message can leak out as a 401-lookalike and no rejected token can
 * turn into anything but a 401.
 */
import {
  FetchError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwkValidationError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtExpiredError,
  JwtInvalidClaimError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from "aws-jwt-verify/error";

/** Why a token was refused (a 401). Stable strings: dashboards and alarms filter on them. */
export type RejectionReason =
  | "missing_token"
  | "oversized_header"
  | "not_bearer"
  | "malformed_jwt"
  | "unsupported_alg"
  | "critical_header"
  | "invalid_signature"
  | "unknown_kid"
  | "expired"
  | "not_yet_valid"
  | "wrong_issuer"
  | "wrong_token_use"
  | "not_client_credentials"
  | "invalid_claims";

/** Why the authorizer could not decide (a 500). */
export type FailureReason = "jwks_unavailable" | "malformed_method_arn" | "internal_error";

/** The token (or the header carrying it) is not acceptable: API Gateway answers 401. */
export class TokenRejectedError extends Error {
  override readonly name = "TokenRejectedError";
  /**
   * @param verifiedClientId the token's client id, only when its signature verified (for the log)
   */
  constructor(
    readonly reason: RejectionReason,
    readonly verifiedClientId: string | null = null,
  ) {
    super(reason);
  }
}

/**
 * The signing keys could not be obtained (JWKS endpoint down, slow or serving garbage). The token may
 * well be valid, so this is a 500, not a 401: see README.md, "When the JWKS endpoint is down".
 */
export class JwksUnavailableError extends Error {
  override readonly name = "JwksUnavailableError";
  constructor() {
    super("JWKS unavailable");
  }
}

/** The function or the event is not what the authorizer was built for: a 500, loud in the logs. */
export class AuthorizerConfigurationError extends Error {
  override readonly name = "AuthorizerConfigurationError";
}

/** The one error API Gateway maps to 401. A fresh instance each time: nothing else rides along. */
export function unauthorized(): Error {
  return new Error("Unauthorized");
}

type ErrorClass = abstract new (...args: never[]) => Error;

const JWKS_UNAVAILABLE = { failure: "jwks_unavailable" } as const;

/**
 * What each error of the library means, first match wins: a subclass comes before the class it
 * extends (the expired, not-yet-valid and issuer errors are all invalid-claim errors).
 * Errors about the JWKS document itself are failures: Cognito serves it, a token cannot make it
 * unreadable.
 */
const VERIFY_ERROR_OUTCOMES: readonly (readonly [ErrorClass, RejectionReason | { failure: FailureReason }])[] = [
  [FetchError, JWKS_UNAVAILABLE],
  [JwksValidationError, JWKS_UNAVAILABLE],
  [JwkValidationError, JWKS_UNAVAILABLE],
  [JwkInvalidKtyError, JWKS_UNAVAILABLE],
  [JwkInvalidUseError, JWKS_UNAVAILABLE],
  [JwksNotAvailableInCacheError, JWKS_UNAVAILABLE],
  [JwtParseError, "malformed_jwt"],
  [JwtInvalidSignatureAlgorithmError, "unsupported_alg"],
  [JwtInvalidSignatureError, "invalid_signature"],
  [JwtWithoutValidKidError, "unknown_kid"],
  [KidNotFoundInJwksError, "unknown_kid"],
  [WaitPeriodNotYetEndedJwkError, "unknown_kid"],
  [JwtExpiredError, "expired"],
  [JwtNotBeforeError, "not_yet_valid"],
  [JwtInvalidIssuerError, "wrong_issuer"],
  [JwtInvalidClaimError, "invalid_claims"],
  // The verifier is configured at cold start; after that the only parameter a token controls is its
  // `iss`, and an issuer the verifier does not know surfaces as this error ("issuer not configured").
  [ParameterValidationError, "wrong_issuer"],
];

/**
 * Sorts an error thrown while verifying a token into a rejection (401) or a failure (500). Anything
 * not recognised is a failure, so a bug shows up as 500s and alarms, never as a silent 401.
 */
export function classifyVerifyError(err: unknown): TokenRejectedError | { failure: FailureReason } {
  if (err instanceof TokenRejectedError) return err;
  const outcome = VERIFY_ERROR_OUTCOMES.find(([errorClass]) => err instanceof errorClass)?.[1];
  if (outcome === undefined) return { failure: "internal_error" };
  return typeof outcome === "string" ? new TokenRejectedError(outcome) : outcome;
}
