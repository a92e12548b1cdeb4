/**
 * The Terraform resources one machine client owns, each addressed `<type>.<client key>` in whichever
 * stack holds the client (`__tests__/addresses.test.ts` pins them). Moving a client between stacks
 * (`npm run reshard`) moves exactly these.
 */

/** What every client has: app client, API key, its place in the tier's plan, the secret and its value. */
export const CLIENT_RESOURCE_TYPES = [
  "aws_cognito_user_pool_client",
  "aws_api_gateway_api_key",
  "aws_api_gateway_usage_plan_key",
  "aws_secretsmanager_secret",
  "aws_secretsmanager_secret_version",
] as const;

/** What a client with consumers in other accounts has besides: its own KMS key, alias and secret policy. */
export const CONSUMER_RESOURCE_TYPES = ["aws_kms_key", "aws_kms_alias", "aws_secretsmanager_secret_policy"] as const;

export type ClientResourceType = (typeof CLIENT_RESOURCE_TYPES)[number] | (typeof CONSUMER_RESOURCE_TYPES)[number];

/**
 * Written anew in the client's new stack rather than imported: the secret's value is write-only, and an
 * imported version plans as a replacement (its stored `secret_string` cannot match a write-only one).
 * The new version holds the same credentials; the old one stays, as `AWSPREVIOUS`.
 */
export const WRITTEN_AGAIN_ON_MOVE: readonly ClientResourceType[] = ["aws_secretsmanager_secret_version"];

/** The address of one of a client's resources. */
export function clientResourceAddress(type: ClientResourceType, clientKey: string): string {
  return `${type}.${clientKey}`;
}

/** Every address a client may own, consumer resources included. */
export function clientResourceAddresses(clientKey: string): string[] {
  return [...CLIENT_RESOURCE_TYPES, ...CONSUMER_RESOURCE_TYPES].map((type) => clientResourceAddress(type, clientKey));
}
