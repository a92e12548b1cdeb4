/**
 * How the authorizer fails, and how each failure maps to what API Gateway answers.
 *
 * API Gateway turns exactly `Error("Unauthorized")` into a 401; any other thrown error becomes a 500
 * (`AuthorizerFailure`). The named classes below carry the reason for the log line; the handler converts
 * them at its boundary, so no other message can leak out as a 401-lookalike and no rejected token can
 * turn into anything but a 401.
 */
import {
  CognitoJwtInvalidTokenUseError,
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

/**
 * Sorts an error thrown while verifying a token into a rejection (401) or a failure (500). Errors about
 * the JWKS document itself are failures: Cognito serves it, a token cannot make it unreadable. Anything
 * not recognised is a failure too, so a bug shows up as 500s and alarms, never as a silent 401.
 */
export function classifyVerifyError(err: unknown): TokenRejectedError | { failure: FailureReason } {
  if (err instanceof TokenRejectedError) return err;
  if (err instanceof FetchError || err instanceof JwksValidationError || err instanceof JwkValidationError) {
    return { failure: "jwks_unavailable" };
  }
  if (
    err instanceof JwkInvalidKtyError ||
    err instanceof JwkInvalidUseError ||
    err instanceof JwksNotAvailableInCacheError
  ) {
    return { failure: "jwks_unavailable" };
  }
  if (err instanceof JwtParseError) return new TokenRejectedError("malformed_jwt");
  if (err instanceof JwtInvalidSignatureAlgorithmError) return new TokenRejectedError("unsupported_alg");
  if (err instanceof JwtInvalidSignatureError) return new TokenRejectedError("invalid_signature");
  if (
    err instanceof JwtWithoutValidKidError ||
    err instanceof KidNotFoundInJwksError ||
    err instanceof WaitPeriodNotYetEndedJwkError
  ) {
    return new TokenRejectedError("unknown_kid");
  }
  if (err instanceof JwtExpiredError) return new TokenRejectedError("expired");
  if (err instanceof JwtNotBeforeError) return new TokenRejectedError("not_yet_valid");
  if (err instanceof JwtInvalidIssuerError) return new TokenRejectedError("wrong_issuer");
  if (err instanceof CognitoJwtInvalidTokenUseError) return new TokenRejectedError("wrong_token_use");
  if (err instanceof JwtInvalidClaimError) return new TokenRejectedError("invalid_claims");
  // The verifier is configured at cold start; after that the only parameter a token controls is its
  // `iss`, and an issuer the verifier does not know surfaces as this error ("issuer not configured").
  if (err instanceof ParameterValidationError) return new TokenRejectedError("wrong_issuer");
  return { failure: "internal_error" };
}
