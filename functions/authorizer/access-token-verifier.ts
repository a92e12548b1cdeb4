/**
 * aws-jwt-verify's verifier with one change: it reads a token's header and payload with a plain
 * `JSON.parse` where the library's prototype-safe parse could not give anything else.
 *
 * The library decomposes every token with `safeJsonParse`: `JSON.parse` with a reviver that deletes
 * `__proto__` and `constructor` from every object, so that no claim can pollute a prototype. A reviver
 * makes the parse call back for every value, and on a Cognito access token that costs about four times
 * the plain parse, a tenth of the bare RS256 verify (`npm run bench`, benchmark 1): the largest part of
 * what the library adds to it. When neither decoded text holds `__proto__`, `constructor` or a backslash
 * (with which a key could spell either), no object in them has those keys and the reviver deletes
 * nothing, so the plain parse gives the same objects, as long as the text is too short to nest as deep
 * as the reviver's recursion can go (UNPADDED_JWT bounds it). Every other token, and every token the
 * library refuses while decomposing it (the claim types are checked as the library checks them), goes the
 * library's own way and gets the library's own error.
 *
 * The change is made where the library lets a subclass make it, `getVerifyParameters` (its own Cognito
 * and ALB verifiers subclass the same base). Everything after the decomposition is the library's: the
 * key lookup and fetch, the signature, the claim checks and the custom check.
 */
import type { DecomposedJwt } from "aws-jwt-verify/jwt";
import type { JwksCache } from "aws-jwt-verify/jwk";
import type { JwtHeader, JwtPayload } from "aws-jwt-verify/jwt-model";
import { isJsonObject, type Json } from "aws-jwt-verify/safe-json-parse";
import { JwtVerifierBase, type JwtVerifierProperties, type VerifyProperties } from "aws-jwt-verify/jwt-verifier";

/** One issuer's configuration, as the library's `JwtVerifier.create` takes it. */
export type IssuerProperties = JwtVerifierProperties<VerifyProperties> & { readonly issuer: string };

// The library's JWT_REGEX without the `=` padding it allows (a padded token goes the library's way), and
// with a header and a payload of at most 2,728 characters: 2,046 bytes decoded, nested at most 1,023
// deep. The reviver of the library's parse recurses and overflows Node's default stack at about 2,700
// levels (measured on Node 20 and 22), where the plain parse does not: the library refuses a part nested
// that deep, the plain parse would not. A Cognito access token's payload is shorter than that bound; a
// longer part only costs its token the library's parse.
const UNPADDED_JWT = /^[\w-]{1,2728}\.[\w-]{1,2728}\.[\w-]+$/;
// What a decoded text must not hold for the plain parse to equal the safe one.
const SAFE_PARSE_MATTERS = /__proto__|constructor|\\/;
const isString = (value: Json | undefined) => typeof value === "string";
const isFiniteNumber = Number.isFinite;
/**
 * The claim types the library's assertJwtHeader and assertJwtPayload check, where the claim is present.
 * Both parts are held to all of them: stricter than the library, as a payload with a non-string `alg`
 * or a header with a non-string `iss` goes the library's way, which only costs that token the plain parse.
 */
const CLAIM_TESTS = Object.entries({
  alg: isString,
  kid: isString,
  iss: isString,
  sub: isString,
  scope: isString,
  jti: isString,
  exp: isFiniteNumber,
  nbf: isFiniteNumber,
  iat: isFiniteNumber,
  // The library also takes an array of strings; a Cognito access token has no `aud` at all.
  aud: isString,
});

/** Whether `part` is an object whose claims have the types the library checks. */
function claimTypesHold(part: Json): boolean {
  return isJsonObject(part) && CLAIM_TESTS.every(([claim, test]) => part[claim] === undefined || test(part[claim]));
}

/**
 * The library's `decomposeUnverifiedJwt(jwt)`, parsed with plain `JSON.parse`, or undefined where the
 * result could differ from the library's or where the library would throw.
 */
export function plainDecomposition(jwt: string): DecomposedJwt | undefined {
  if (!UNPADDED_JWT.test(jwt)) return undefined;
  const [headerB64, payloadB64, signatureB64] = jwt.split(".");
  // As the library decodes them on Node: "base64" reads the base64url alphabet too.
  const [headerJson, payloadJson] = [headerB64, payloadB64].map((part) => Buffer.from(part, "base64").toString());
  if (SAFE_PARSE_MATTERS.test(headerJson) || SAFE_PARSE_MATTERS.test(payloadJson)) return undefined;
  let header: Json;
  let payload: Json;
  try {
    header = JSON.parse(headerJson) as Json;
    payload = JSON.parse(payloadJson) as Json;
  } catch {
    return undefined;
  }
  if (![header, payload].every(claimTypesHold)) return undefined;
  return { header: header as JwtHeader, headerB64, payload: payload as JwtPayload, payloadB64, signatureB64 };
}

/** The library's verifier for several issuers, decomposing with {@link plainDecomposition} where it can. */
export class AccessTokenVerifier extends JwtVerifierBase<Partial<VerifyProperties>, IssuerProperties, true> {
  constructor(issuers: IssuerProperties[], jwksCache: JwksCache) {
    super(issuers, jwksCache);
  }

  protected override getVerifyParameters(jwt: string, properties?: Partial<VerifyProperties>) {
    const decomposedJwt = properties === undefined ? plainDecomposition(jwt) : undefined;
    if (!decomposedJwt) return super.getVerifyParameters(jwt, properties);
    // The library's lookup, with its error for an issuer not configured; the configuration itself, where
    // the library copies it, as nothing is merged into it and nothing changes it.
    const verifyProperties = this.getIssuerConfig(decomposedJwt.payload.iss);
    return { decomposedJwt, jwksUri: verifyProperties.jwksUri, verifyProperties };
  }
}
