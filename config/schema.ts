/**
 * The shape of an m2m-access registry: environments, resource servers and their scopes, routes,
 * usage-plan tiers and machine clients.
 *
 * `defineRegistry` infers the environment, scope and tier names from the registry itself, so a client
 * or route that names an unknown one fails `tsc --noEmit`. Everything the types cannot express
 * (name syntax, ranges, duplicates) is checked at run time by `validateRegistry` in `./validate`.
 */
import type { QuotaLimits } from "../model/aws-limits";
import type { HttpMethod } from "../model/routes";

export type { HttpMethod };

/** Lambda handlers in `functions/` that a route may integrate with. */
export type RouteFunctionName = "whoami";

/** Usage-plan quota periods, as API Gateway names them. */
export type QuotaPeriod = "DAY" | "WEEK" | "MONTH";

/** A `YYYY-MM-DD` calendar date. */
export type IsoDate = `${number}-${number}-${number}`;

/** A route key as it reads in a pull request: `"GET /orders/{orderId}"`. */
export type RouteKey = `${HttpMethod} /${string}`;

/** Terraform Cloud workspace of one environment (CLI-driven runs). */
export interface TerraformCloudSettings {
  /** Terraform Cloud organization. */
  readonly organization: string;
  /** Workspace name; one workspace per environment. */
  readonly workspace: string;
  /**
   * Terraform Cloud / Enterprise host name.
   * @default - the registry's `terraformCloud.hostname`, else "app.terraform.io"
   */
  readonly hostname?: string;
  /**
   * Project `terraform init` creates the workspace in. Dynamic AWS credentials trust the run's OIDC
   * subject, which names the project, so it must be the project the IAM role's trust policy names.
   * @default - the registry's `terraformCloud.project`, else the organization's default project
   */
  readonly project?: string;
}

/**
 * Terraform Cloud settings shared by every environment that has no `terraformCloud` of its own. Each
 * field set here wins over its environment variable (`TF_CLOUD_ORGANIZATION`, `TF_CLOUD_HOSTNAME`,
 * `TF_CLOUD_PROJECT`, `TFC_WORKSPACE_PREFIX`).
 */
export interface TerraformCloudDefaults {
  /**
   * Organization of every environment's workspace.
   * @default - `TF_CLOUD_ORGANIZATION` (or `TFC_ORGANIZATION`); neither: the local backend
   */
  readonly organization?: string;
  /** @default - `TF_CLOUD_HOSTNAME` (or `TFC_HOSTNAME`), else "app.terraform.io" */
  readonly hostname?: string;
  /**
   * Project new workspaces are created in: one project for all environments. An environment's own
   * `terraformCloud.project` overrides it.
   * @default - `TF_CLOUD_PROJECT` (or `TFC_PROJECT`), else the organization's default project
   */
  readonly project?: string;
  /** Workspaces are named `<workspacePrefix><env>`. @default - `TFC_WORKSPACE_PREFIX`, else "<project>-" */
  readonly workspacePrefix?: string;
}

/** One deployment target: an AWS account and region with its own pool, API and workspace. */
export interface EnvironmentConfig {
  /** AWS region, such as `eu-west-1`. */
  readonly region: string;
  /**
   * 12-digit AWS account id. Used to sum account-wide quotas over environments that share an account
   * and region, and to pin the provider to that account.
   * @default - not pinned; quota sums treat the environment as its own account
   */
  readonly account?: string;
  /** API Gateway stage name, such as `v1`: part of every API URL of the environment. */
  readonly stageName: string;
  /**
   * A protected environment (production) gets Cognito deletion protection and Terraform
   * `prevent_destroy` on the user pool, so no merge can delete the pool and every credential in it.
   */
  readonly protected: boolean;
  /** Prefix of the Cognito hosted domain: the token URL is `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token`. Globally unique per region. */
  readonly cognitoDomainPrefix: string;
  /**
   * Where Terraform keeps this environment's state.
   * @default - the registry's `terraformCloud` or the environment variables; neither: the local backend
   */
  readonly terraformCloud?: TerraformCloudSettings;
  /**
   * Retention of the access-log and function log groups, in days.
   * @default 30, or 365 in a protected environment
   */
  readonly logRetentionDays?: number;
  /**
   * Whether this environment's stack sets the account-wide API Gateway CloudWatch role that access
   * logging needs. It is one setting per account and region: when environments share both, let
   * exactly one of them manage it.
   * @default true
   */
  readonly manageApiGatewayAccount?: boolean;
  /**
   * How many client stacks the environment's clients are spread over. With 2 or more, the environment
   * has a platform stack `<env>` (pool, API, authorizer, tiers) and client stacks `<env>-clients-<i>`,
   * each its own Terraform state and workspace, so a change to one client plans one shard. A client's
   * shard is a hash of its key modulo this number (`model/shards.ts`). Changing it moves clients
   * between states: run `npm run reshard -- --env <env>` in the same pull request (docs/shards.md).
   * @default 1 (one stack with every client)
   */
  readonly clientShards?: number;
  /**
   * How long API Gateway caches the authorizer's answer for one token, in seconds, counted from the
   * token's first use: a token stays usable up to this long past its expiry or revocation. At most
   * half the shortest access-token validity of the environment's clients. 0 turns the cache off (one
   * authorizer invocation per request).
   * @default 300
   */
  readonly authorizerCacheTtlSeconds?: number;
}

/** A Cognito resource server; its key in `resourceServers` is its identifier and the scope prefix. */
export interface ResourceServerConfig {
  /** Display name in the Cognito console. */
  readonly name: string;
  /** Scope name → description. The full scope a token carries is `<identifier>/<scope name>`. */
  readonly scopes: Readonly<Record<string, string>>;
}

/** Requests per second and burst, as API Gateway throttles them. */
export interface ThrottleConfig {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Maximum bucket size: requests allowed in one burst. */
  readonly burstLimit: number;
}

/** A usage-plan tier; every client is metered in exactly one. */
export interface TierConfig {
  /** What the tier is for, shown in the plan's description. */
  readonly description: string;
  /** Throttle applied to each API key in the tier. */
  readonly throttle: ThrottleConfig;
  /** Requests each API key may make per period. */
  readonly quota: {
    readonly limit: number;
    readonly period: QuotaPeriod;
  };
  /**
   * Tighter throttles for single routes, keyed like `"POST /orders"`.
   * @default - the tier throttle applies to every route
   */
  readonly routeThrottles?: Readonly<Partial<Record<RouteKey, ThrottleConfig>>>;
}

/** How API Gateway answers a route. */
export type IntegrationConfig<E extends string> =
  | {
      /** Pass the request through to an upstream HTTP service. */
      readonly type: "http-proxy";
      /**
       * Upstream URL per environment. It may use the route's `{param}` segments, which are passed
       * through from the request path.
       */
      readonly url: Readonly<Record<E, string>>;
    }
  | {
      /** Invoke a Lambda handler from `functions/` (proxy integration). */
      readonly type: "lambda";
      readonly function: RouteFunctionName;
    }
  | {
      /** A fixed answer from API Gateway, for routes that are not built yet. */
      readonly type: "mock";
      /** @default 200 */
      readonly statusCode?: number;
      /** @default "{}" */
      readonly body?: string;
    };

/** One REST route. A caller must hold every scope listed. */
export interface RouteConfig<S extends string, E extends string> {
  readonly method: HttpMethod;
  /** Path starting with `/`; `{param}` segments match one path segment. */
  readonly path: string;
  /** Scopes the caller must hold, all of them. */
  readonly scopes: readonly S[];
  readonly integration: IntegrationConfig<E>;
  /** What the route does, for the docs. @default - none */
  readonly description?: string;
}

/** One machine user: a partner back end, bot or batch job. */
export interface ClientConfig<E extends string, S extends string, T extends string> {
  /**
   * Stable key, such as `acme-billing`: lower-case letters, digits and dashes. Every Terraform
   * address of the client derives from it, so it never changes once deployed.
   */
  readonly key: string;
  /** What the client does, in one line. */
  readonly description: string;
  /** Who answers for the client: a team or a person's e-mail. */
  readonly owner: string;
  /** Usage-plan tier that meters and throttles the client. */
  readonly tier: T;
  /** Scopes the client may request; each must be needed by some route. */
  readonly scopes: readonly S[];
  /** Environments the client exists in. */
  readonly environments: readonly E[];
  /**
   * Access-token validity in minutes, from 5 to 1440 (Cognito's bounds).
   * @default 60
   */
  readonly accessTokenValidityMinutes?: number;
  /**
   * Last day the client may exist; CI fails after it and warns 30 days before.
   * @default - no expiry
   */
  readonly expires?: IsoDate;
  /**
   * AWS principals (account or role ARNs) of the consumer that may read the client's credentials
   * secret.
   * @default - no one outside this account
   */
  readonly consumerPrincipals?: readonly string[];
}

/** A team that owns machine clients: its folder is `config/clients/<team>/`. */
export interface TeamConfig {
  /** What the team does, for the CODEOWNERS comment. @default - none */
  readonly description?: string;
  /**
   * Who must review a change to the team's client files: GitHub teams (`@org/team`), users (`@user`)
   * or e-mail addresses, as CODEOWNERS takes them.
   */
  readonly reviewers: readonly string[];
}

/** Where one client of a file-layout registry came from (see `./client-files`). */
export interface ClientFile {
  /** Path from the repository root, such as `config/clients/partners/acme-billing.ts`. */
  readonly file: string;
  /** The folder the file is in: the team that owns the client. */
  readonly team: string;
}

/** A registry with its names resolved: what the stacks and tools consume. */
export interface Registry<E extends string = string, S extends string = string, T extends string = string> {
  /**
   * Short lower-case name prefixed to AWS resource names (`<project>-<env>-…`).
   * @default "m2m"
   */
  readonly project?: string;
  readonly environments: Readonly<Record<E, EnvironmentConfig>>;
  readonly resourceServers: Readonly<Record<string, ResourceServerConfig>>;
  readonly tiers: Readonly<Record<T, TierConfig>>;
  readonly routes: readonly RouteConfig<S, E>[];
  readonly clients: readonly ClientConfig<E, S, T>[];
  /**
   * Terraform Cloud settings for every environment without its own `terraformCloud`.
   * @default - the environment variables; none set: the local backend
   */
  readonly terraformCloud?: TerraformCloudDefaults;
  /**
   * AWS regions newer than the list in `model/aws-regions.ts`, which an environment may then name.
   * @default - none: only the listed regions
   */
  readonly additionalRegions?: readonly string[];
  /**
   * AWS quotas your accounts have had raised (see `AWS_QUOTAS` in `model/aws-limits.ts`); synth
   * refuses a registry that would exceed a quota and warns at 80 %. Only adjustable quotas can be
   * raised.
   * @default - the AWS defaults
   */
  readonly quotas?: Partial<QuotaLimits>;
  /**
   * The teams that own clients, by folder name (`config/clients/<team>/`).
   * @default - none: a single-module registry, whose clients are in `clients`
   */
  readonly teams?: Readonly<Record<string, TeamConfig>>;
  /**
   * Who reviews `config/platform/` and the code: CODEOWNERS owners, as for a team.
   * @default - none
   */
  readonly platformReviewers?: readonly string[];
  /**
   * For a registry gathered from files: where each client came from, by position in `clients`.
   * @default - none: the clients were written in the registry module
   */
  readonly clientFiles?: readonly ClientFile[];
}

/** Every full scope (`identifier/scope`) the resource servers define. */
export type ScopeOf<RS> = {
  [Id in keyof RS & string]: RS[Id] extends { readonly scopes: infer Sc } ? `${Id}/${keyof Sc & string}` : never;
}[keyof RS & string];

/**
 * Declares a registry. Environment, scope and tier names are taken from the `environments`,
 * `resourceServers` and `tiers` sections; routes and clients that name anything else do not compile.
 */
export function defineRegistry<
  const E extends string,
  const RS extends Readonly<Record<string, ResourceServerConfig>>,
  const T extends string,
>(registry: {
  readonly project?: string;
  readonly environments: Readonly<Record<E, EnvironmentConfig>>;
  readonly resourceServers: RS;
  readonly tiers: Readonly<Record<T, TierConfig>>;
  readonly routes: readonly RouteConfig<NoInfer<ScopeOf<RS>>, NoInfer<E>>[];
  readonly clients: readonly ClientConfig<NoInfer<E>, NoInfer<ScopeOf<RS>>, NoInfer<T>>[];
  /** @default - the environment variables; none set: the local backend */
  readonly terraformCloud?: TerraformCloudDefaults;
  /** @default - none: only the regions in model/aws-regions.ts */
  readonly additionalRegions?: readonly string[];
  /** @default - the AWS defaults */
  readonly quotas?: Partial<QuotaLimits>;
}): Registry<E, ScopeOf<RS>, T> {
  return registry;
}

/** The clients a registry deploys to one environment, in registry order. */
export function clientsInEnvironment<E extends string, S extends string, T extends string>(
  registry: Registry<E, S, T>,
  environment: string,
): ClientConfig<E, S, T>[] {
  return registry.clients.filter((client) => (client.environments as readonly string[]).includes(environment));
}
