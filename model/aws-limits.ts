/**
 * Every AWS limit m2m-access checks a registry against, in one place: the quotas on counts (which the
 * quota guard sums over environments and accounts, and of which a registry may raise the adjustable
 * ones through `quotas`), the bounds on single values the APIs accept, the limits on names, tags and
 * descriptions, and the patterns of ids. The validator and the quota guard read them from here.
 * Figures are AWS's published defaults (Cognito, API Gateway, Lambda, IAM, Secrets Manager, KMS and
 * CloudWatch Logs quota and API reference pages).
 */

// ---------------------------------------------------------------------------------------------------
// Quotas on counts

/** One AWS quota on a count. */
export interface AwsQuota {
  /** How AWS names it, for messages: `app clients per user pool`. */
  readonly name: string;
  /** The AWS default. */
  readonly limit: number;
  /** Whether AWS raises it on request (Service Quotas or Support). */
  readonly adjustable: boolean;
}

/** Every quota the guard checks, keyed as `quotas` in the registry names them. */
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
  /**
   * Total size of one Lambda function's environment variables (names and values), in bytes: the
   * authorizer's `ROUTE_TABLE` grows with every route. Not adjustable. @default 4096
   */
  readonly lambdaEnvironmentBytes: number;
}

/** The AWS defaults. */
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
  lambdaEnvironmentBytes: { name: "environment variables per Lambda function, bytes", limit: 4_096, adjustable: false },
};

/** A count at or above this share of its limit is a warning. */
export const QUOTA_WARNING_SHARE = 0.8;

// ---------------------------------------------------------------------------------------------------
// Bounds on single values

/** Cognito's access-token validity, in minutes (5 minutes to 1 day). */
export const ACCESS_TOKEN_VALIDITY_MINUTES = { min: 5, max: 1_440 } as const;

/** API Gateway's authorizer result cache, in seconds (0 turns it off). */
export const AUTHORIZER_CACHE_TTL_SECONDS = { min: 0, max: 3_600 } as const;

/**
 * Usage-plan throttles: a steady rate above 0, and a whole-number burst of at least 1, capped at the
 * account's default throttle in a region (no plan can admit more than the account does).
 */
export const USAGE_PLAN_THROTTLE = { maxRateLimit: 10_000, maxBurstLimit: 5_000 } as const;

/** Usage-plan quota limits are 32-bit integers in API Gateway. */
export const USAGE_PLAN_QUOTA = { min: 1, max: 2_147_483_647 } as const;

/** Status codes a mock integration may answer with. */
export const MOCK_STATUS_CODE = { min: 200, max: 599 } as const;

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

// ---------------------------------------------------------------------------------------------------
// Names, tags and descriptions

/** The AWS names the stacks build, and their documented limits. */
export const AWS_NAME_LIMITS = {
  lambdaFunction: { what: "Lambda function name", maxLength: 64 },
  iamRole: { what: "IAM role name", maxLength: 64 },
  userPool: { what: "Cognito user pool name", maxLength: 128 },
  appClient: { what: "Cognito app client name", maxLength: 128 },
  restApi: { what: "REST API name", maxLength: 1_024 },
  usagePlan: { what: "usage plan name", maxLength: 1_024 },
  apiKey: { what: "API key name", maxLength: 1_024 },
  secret: { what: "Secrets Manager secret name", maxLength: 512 },
  kmsAlias: { what: "KMS alias name", maxLength: 256 },
  logGroup: { what: "CloudWatch log group name", maxLength: 512 },
} as const;

/** The kinds of AWS name the stacks build. */
export type AwsNameKind = keyof typeof AWS_NAME_LIMITS;

/** AWS tags: keys up to 128 characters, values up to 256, both in one character set. */
export const TAG_LIMITS = { maxKeyLength: 128, maxValueLength: 256 } as const;

/** Letters, digits and spaces in UTF-8, and `_ . : / = + - @`: the character set AWS tags allow. */
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Terraform Cloud's limit on organization and workspace names. */
export const TERRAFORM_CLOUD_NAME_MAX_LENGTH = 90;

/** Cognito's limit on a resource server's name and on a scope's description. */
export const COGNITO_TEXT_MAX_LENGTH = 256;

/** Cognito's pattern for resource server and app client names: word characters, spaces and `+=,.@-`. */
export const COGNITO_NAME_CHARACTERS = /^[\w\s+=,.@-]+$/;

/** Secrets Manager's limit on a secret's description. */
export const SECRET_DESCRIPTION_MAX_LENGTH = 2_048;

// ---------------------------------------------------------------------------------------------------
// Ids

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/** An IAM principal ARN: `root`, or a role or user name after an optional `/path/`, in IAM's characters. */
export const IAM_PRINCIPAL_ARN = /^arn:aws:iam::\d{12}:(root|(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]+)$/;
