/**
 * What the registry and the stacks fall back to when an entry leaves a field out: every default once
 * (the `@default` tags in `config/schema.ts` name these).
 */

/** Prefix of AWS resource names. */
export const DEFAULT_PROJECT = "m2m";

/** Access-token validity of a client, in minutes. */
export const DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES = 60;

/** Seconds API Gateway caches one token's authorizer answer. */
export const DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS = 300;

/** Terraform Cloud's public host. */
export const DEFAULT_TFC_HOSTNAME = "app.terraform.io";

/** Log retention in days: a year in protected environments, a month elsewhere. */
export function defaultLogRetentionDays(environment: { readonly protected: boolean }): number {
  return environment.protected ? 365 : 30;
}

/**
 * Days Secrets Manager keeps a deleted credentials secret recoverable: the longest it allows in a
 * protected environment; elsewhere 0, so a removed client can be added back without waiting.
 */
export function secretRecoveryWindowDays(environment: { readonly protected: boolean }): number {
  return environment.protected ? 30 : 0;
}

/** A `MachineClient` used on its own (outside an environment) keeps deleted secrets recoverable. */
export const DEFAULT_SECRET_RECOVERY_WINDOW_DAYS = 30;
