/**
 * The AWS limits m2m-access checks a registry against, in one place. The validator takes its bounds
 * from here and `./quotas` (the quota guard) its ceilings; a registry raises adjustable ones through
 * `quotas`.
 */

/** One AWS limit: a ceiling on a count (or on a value, for the bounds). */
export interface AwsQuota {
  /** How AWS names it, for messages: `app clients per user pool`. */
  readonly name: string;
  /** The AWS default. */
  readonly limit: number;
  /** Whether AWS raises it on request (Service Quotas or Support). */
  readonly adjustable: boolean;
}

/** Every limit the guard checks, keyed as `quotas` in the registry names them. */
export interface QuotaLimits {
  /** Cognito app clients in one user pool: one per client deployed to the environment. @default 1000 */
  readonly appClientsPerUserPool: number;
  /** Cognito resource servers in one user pool: every pool holds all of `resourceServers`. @default 25 */
  readonly resourceServersPerUserPool: number;
  /** Custom scopes of one resource server. Not adjustable. @default 100 */
  readonly scopesPerResourceServer: number;
  /** Scopes one app client may be allowed. Not adjustable. @default 50 */
  readonly scopesPerAppClient: number;
  /**
   * API Gateway API keys in one account and region, summed over the environments that share both.
   * Not adjustable. @default 10000
   */
  readonly apiKeysPerAccountAndRegion: number;
  /** API Gateway usage plans in one account and region: one per tier per environment. @default 300 */
  readonly usagePlansPerAccountAndRegion: number;
  /** Usage plans one API key may belong to; the stack puts each key in exactly one. @default 10 */
  readonly usagePlansPerApiKey: number;
  /** Stages of one REST API; the stack creates one. @default 10 */
  readonly stagesPerApi: number;
  /** Authorizers of one REST API; the stack creates one. @default 10 */
  readonly authorizersPerApi: number;
  /** Shortest access-token validity Cognito accepts, in minutes. Not adjustable. @default 5 */
  readonly minAccessTokenValidityMinutes: number;
  /** Longest access-token validity Cognito accepts, in minutes (1 day). Not adjustable. @default 1440 */
  readonly maxAccessTokenValidityMinutes: number;
  /** Longest authorizer result cache API Gateway accepts, in seconds. Not adjustable. @default 3600 */
  readonly maxAuthorizerCacheTtlSeconds: number;
  /**
   * Total size of one Lambda function's environment variables (names and values), in bytes: the
   * authorizer's `ROUTE_TABLE` grows with every route. Not adjustable. @default 4096
   */
  readonly lambdaEnvironmentBytes: number;
}

/** The AWS defaults, from the public quota pages of Cognito, API Gateway and Lambda. */
export const AWS_QUOTAS: { readonly [K in keyof QuotaLimits]: AwsQuota } = {
  appClientsPerUserPool: { name: "app clients per user pool", limit: 1_000, adjustable: true },
  resourceServersPerUserPool: { name: "resource servers per user pool", limit: 25, adjustable: true },
  scopesPerResourceServer: { name: "custom scopes per resource server", limit: 100, adjustable: false },
  scopesPerAppClient: { name: "scopes per app client", limit: 50, adjustable: false },
  apiKeysPerAccountAndRegion: { name: "API keys per account and region", limit: 10_000, adjustable: false },
  usagePlansPerAccountAndRegion: { name: "usage plans per account and region", limit: 300, adjustable: true },
  usagePlansPerApiKey: { name: "usage plans per API key", limit: 10, adjustable: true },
  stagesPerApi: { name: "stages per REST API", limit: 10, adjustable: true },
  authorizersPerApi: { name: "authorizers per REST API", limit: 10, adjustable: true },
  minAccessTokenValidityMinutes: { name: "shortest access-token validity, minutes", limit: 5, adjustable: false },
  maxAccessTokenValidityMinutes: { name: "longest access-token validity, minutes", limit: 1_440, adjustable: false },
  maxAuthorizerCacheTtlSeconds: { name: "authorizer cache TTL, seconds", limit: 3_600, adjustable: false },
  lambdaEnvironmentBytes: { name: "environment variables per Lambda function, bytes", limit: 4_096, adjustable: false },
};

/** A count at or above this share of its limit is a warning. */
export const QUOTA_WARNING_SHARE = 0.8;
