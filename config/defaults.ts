/** Values the registry falls back to when an entry leaves a field out (see the `@default` tags in `./schema`). */

import type { EnvironmentConfig } from "./schema";

/** Prefix of AWS resource names. */
export const DEFAULT_PROJECT = "m2m";

/** Access-token validity of a client, in minutes. */
export const DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES = 60;

/** Seconds API Gateway caches one token's authorizer answer. */
export const DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS = 300;

/** Log retention in days: a year in protected environments, a month elsewhere. */
export function defaultLogRetentionDays(environment: EnvironmentConfig): number {
  return environment.protected ? 365 : 30;
}
