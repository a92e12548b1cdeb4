/**
 * The platform vocabulary as the compiler sees it. `config/platform/` declares environments,
 * resource servers, routes, tiers and teams one file each with these definers; `definePlatform`
 * puts them together and hands out `defineClient`, typed against exactly those names. A client file
 * that names a tier, scope or environment the platform does not have fails `tsc --noEmit` at the
 * line of the mistake, in the client's own file.
 */
import type { QuotaLimits } from "../model/aws-limits";
import type {
  ClientConfig,
  EnvironmentConfig,
  Registry,
  ResourceServerConfig,
  RouteConfig,
  ScopeOf,
  TeamConfig,
  TerraformCloudDefaults,
  TierConfig,
} from "./schema";

/** Environments by name; the names become the vocabulary of routes and clients. */
export function defineEnvironments<const E extends string>(
  environments: Readonly<Record<E, EnvironmentConfig>>,
): Readonly<Record<E, EnvironmentConfig>> {
  return environments;
}

/** Resource servers by identifier; their scopes (`<identifier>/<scope>`) become the vocabulary. */
export function defineResourceServers<const RS extends Readonly<Record<string, ResourceServerConfig>>>(
  resourceServers: RS,
): RS {
  return resourceServers;
}

/**
 * Routes, checked against the environments (every HTTP proxy needs an upstream URL for each) and the
 * scopes of the resource servers.
 */
export function defineRoutes<E extends string, RS extends Readonly<Record<string, ResourceServerConfig>>>(
  _vocabulary: { readonly environments: Readonly<Record<E, EnvironmentConfig>>; readonly resourceServers: RS },
  routes: readonly RouteConfig<NoInfer<ScopeOf<RS>>, NoInfer<E>>[],
): readonly RouteConfig<ScopeOf<RS>, E>[] {
  return routes;
}

/** Usage-plan tiers by name. */
export function defineTiers<const T extends string>(
  tiers: Readonly<Record<T, TierConfig>>,
): Readonly<Record<T, TierConfig>> {
  return tiers;
}

/** The teams that own clients, by the name of their folder in `config/clients/`. */
export function defineTeams<const Team extends string>(
  teams: Readonly<Record<Team, TeamConfig>>,
): Readonly<Record<Team, TeamConfig>> {
  return teams;
}

/** Everything but the clients, as `config/platform/index.ts` puts it together. */
export interface PlatformConfig<E extends string, RS, T extends string, Team extends string> {
  /** @default "m2m" */
  readonly project?: string;
  readonly environments: Readonly<Record<E, EnvironmentConfig>>;
  readonly resourceServers: RS;
  readonly routes: readonly RouteConfig<ScopeOf<RS>, E>[];
  readonly tiers: Readonly<Record<T, TierConfig>>;
  readonly teams: Readonly<Record<Team, TeamConfig>>;
  /** Who reviews `config/platform/` and the code (CODEOWNERS owners). */
  readonly platformReviewers: readonly string[];
  /** @default - the environment variables; none set: the local backend */
  readonly terraformCloud?: TerraformCloudDefaults;
  /** @default - none: only the regions in model/aws-regions.ts */
  readonly additionalRegions?: readonly string[];
  /** @default - the AWS defaults */
  readonly quotas?: Partial<QuotaLimits>;
}

/** The platform: a registry without clients, and the `defineClient` typed against it. */
export interface Platform<E extends string, S extends string, T extends string> {
  /** The registry's settings, environments, resource servers, routes, tiers and teams. */
  readonly settings: Omit<Registry<E, S, T>, "clients" | "clientFiles">;
  /** Declares one client: `export default defineClient({ … })` in `config/clients/<team>/<key>.ts`. */
  readonly defineClient: (client: ClientConfig<E, S, T>) => ClientConfig<E, S, T>;
}

export function definePlatform<
  const E extends string,
  const RS extends Readonly<Record<string, ResourceServerConfig>>,
  const T extends string,
  const Team extends string,
>(platform: PlatformConfig<E, RS, T, Team>): Platform<E, ScopeOf<RS>, T> {
  return { settings: platform, defineClient: (client) => client };
}
