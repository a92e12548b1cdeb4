/**
 * Test keys and tokens shaped like Cognito's: RS256, `kid` in the header, the claims of a
 * client_credentials access token (design.md, "Access token claims").
 */
import { createHmac, createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { Jwk, Jwks } from "aws-jwt-verify/jwk";

export const REGION = "eu-west-1";
export const POOL_ID = `${REGION}_TestPool1`;
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const CLIENT_ID = "4tq0ab1cd2ef3gh4ij5kl6mn7o";

/** A signing key with the public half as a JWK, as Cognito publishes it. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: Jwk;
}

export function createSigningKey(kid: string, bits = 2048): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const exported = publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string };
  return {
    kid,
    privateKey,
    publicKey,
    jwk: { kid, alg: "RS256", kty: exported.kty, e: exported.e, n: exported.n, use: "sig" },
  };
}

export function jwksOf(...keys: SigningKey[]): Jwks {
  return { keys: keys.map((k) => k.jwk) };
}

export function b64url(value: string | Buffer | object): string {
  const buf =
    typeof value === "string" || Buffer.isBuffer(value) ? Buffer.from(value) : Buffer.from(JSON.stringify(value));
  return buf.toString("base64url");
}

/** Claims of a valid access token from the test pool; `overrides` may set a claim to undefined to drop it. */
export function accessClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    sub: CLIENT_ID,
    token_use: "access",
    scope: "orders/read",
    auth_time: now,
    iss: ISSUER,
    exp: now + 3600,
    iat: now,
    version: 2,
    jti: "0b5c7a3e-1f2d-4c8b-9e6a-3d2f1a0b9c8d",
    client_id: CLIENT_ID,
    ...overrides,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return claims;
}

/** Signs header and payload (objects, or raw JSON text) with RS256 (or another RSA-SHA alg). */
export function signRs(
  key: SigningKey | { privateKey: KeyObject },
  payload: Record<string, unknown> | string,
  header: Record<string, unknown> | string = { kid: (key as SigningKey).kid, alg: "RS256" },
  hash = "RSA-SHA256",
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = createSign(hash).update(input).sign(key.privateKey);
  return `${input}.${signature.toString("base64url")}`;
}

/** The classic confusion attack: HS256 with the RSA public key (PEM) as the HMAC secret. */
export function signHs256WithPublicKey(key: SigningKey, payload: Record<string, unknown>): string {
  const input = `${b64url({ kid: key.kid, alg: "HS256" })}.${b64url(payload)}`;
  const secret = key.publicKey.export({ format: "pem", type: "spki" });
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** The three dot-separated parts, for checking that none of them reaches a log. */
export function tokenParts(token: string): string[] {
  return token.split(".").filter((p) => p.length >= 8);
}
