/**
 * The issuers a Cognito user pool's tokens may name. Each publishes the pool's keys where aws-jwt-verify
 * looks by default, at `<issuer>/.well-known/jwks.json`.
 *
 * The authorizer verifies with aws-jwt-verify's generic verifier given these issuers
 * (`AccessTokenVerifier`, on the library's `JwtVerifierBase`), not with its `CognitoJwtVerifier`: every
 * Cognito check that class adds (`token_use`, the client id) the authorizer makes itself, first and
 * stricter (`cognitoAccessTokenCheck`), and importing the class keeps 2.2 KB of the library in the bundle
 * that would only repeat them. What the class would still give is this list, so
 * `__tests__/authorizer.test.ts` compares it, and each issuer's JWKS endpoint, with what
 * `CognitoJwtVerifier` builds for the same pool: a library release that trusts another issuer form, or
 * looks for the keys elsewhere, fails CI instead of being missed here.
 */
import { AuthorizerConfigurationError } from "./errors";

// The library's pattern (CognitoJwtVerifier.USER_POOL_ID_REGEX): a region, `_`, an alphanumeric id.
const USER_POOL_ID = /^((?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d)_[a-zA-Z0-9]+$/;

// Cognito names a pool by its regional endpoint, and also by the `issuer-cognito-idp` host that
// aws-jwt-verify trusts beside it; a pool's tokens may carry either.
const ISSUER_HOSTS = ["cognito-idp", "issuer-cognito-idp"] as const;

/** Both issuers of `userPoolId`. Throws {@link AuthorizerConfigurationError} for anything not a pool id. */
export function cognitoIssuers(userPoolId: string | undefined): string[] {
  const region = userPoolId === undefined ? undefined : USER_POOL_ID.exec(userPoolId)?.[1];
  if (region === undefined) {
    throw new AuthorizerConfigurationError(
      `userPoolId must be a Cognito user pool id such as eu-west-1_AbCdEf123; received ${JSON.stringify(userPoolId) ?? "nothing"}`,
    );
  }
  return ISSUER_HOSTS.map((host) => `https://${host}.${region}.amazonaws.com/${userPoolId}`);
}
