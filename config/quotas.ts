/**
 * The AWS quotas a registry can run into, and the guard that refuses a registry which would exceed
 * one. Synth runs it next to `validateRegistry`: a `terraform apply` that fails halfway through 1,001
 * app clients is far worse than a synth that says so up front.
 *
 * Every limit lives in {@link AWS_QUOTAS}. An account whose adjustable quota AWS has raised says so
 * in the registry (`quotas: { appClientsPerUserPool: 2000 }`); a fixed one cannot be raised there.
 *
 * Counts come from what the stacks create: per environment one user pool holding every resource
 * server, one app client and one API key per client deployed there, one usage plan per tier, one
 * REST API with one stage and one token authorizer.
 */
import type { Registry } from "./schema";
import type { ConfigProblem } from "./problems";
import { isWellFormedClientKey } from "./validate-clients";
import { formatCount, isRecord, isWholeNumber, keyedEntry, listEntryNames } from "./validate-support";
import { ROUTE_TABLE_ENV, USER_POOL_ID_ENV, serializeRouteTable, type RouteRule } from "../model/route-table";
import { AWS_QUOTAS, QUOTA_WARNING_SHARE, type QuotaLimits } from "../model/aws-limits";
import { DEFAULT_PROJECT } from "../model/defaults";
import { awsNames } from "../model/names";

/** What each environment's stack creates once, whatever the registry says. */
const STAGES_PER_ENVIRONMENT = 1;
const AUTHORIZERS_PER_ENVIRONMENT = 1;
const USAGE_PLANS_PER_API_KEY = 1;
/** Longest user pool id Cognito issues: the authorizer's USER_POOL_ID value is only known at apply. */
const MAX_USER_POOL_ID_LENGTH = 55;

/**
 * Every quota the registry would exceed (error) or fill to 80 % or more (warning), one problem each,
 * in a fixed order: the `quotas` setting, resource servers, routes, environments, accounts, clients.
 *
 * Account-wide quotas (API keys, usage plans) are summed over the environments that share an account
 * id and a region. An environment without `account` counts as an account of its own: nothing in the
 * registry says which account it deploys to, and guessing that two such environments share one would
 * refuse registries that are fine. Set `account` to have them summed.
 *
 * Never throws on a malformed registry: values `validateRegistry` rejects are skipped here.
 */
export function checkQuotas(registry: Registry): ConfigProblem[] {
  const raw: unknown = registry;
  if (!isRecord(raw)) return [];
  const guard = new QuotaGuard(effectiveLimits(raw.quotas));
  guard.problems.push(...guard.limitProblems);
  checkResourceServers(raw, guard);
  checkRouteTableSize(raw, guard);
  const deployments = environmentDeployments(raw);
  checkEnvironments(raw, deployments, guard);
  checkAccounts(raw, deployments, guard);
  checkClients(raw, guard);
  return guard.problems;
}

/** The limits in force, and the problems of the `quotas` setting itself. */
interface EffectiveLimits {
  readonly limits: QuotaLimits;
  readonly problems: ConfigProblem[];
}

function effectiveLimits(setting: unknown): EffectiveLimits {
  const limits = Object.fromEntries(Object.entries(AWS_QUOTAS).map(([key, quota]) => [key, quota.limit])) as Record<
    keyof QuotaLimits,
    number
  >;
  const problems: ConfigProblem[] = [];
  const error = (field: string, message: string) =>
    problems.push({ severity: "error", entry: "registry", field, message });
  if (setting === undefined) return { limits, problems };
  if (!isRecord(setting)) {
    error(
      "quotas",
      `must be an object of raised limits, such as { appClientsPerUserPool: 2000 }; got ${typeof setting}`,
    );
    return { limits, problems };
  }
  for (const [key, value] of Object.entries(setting)) {
    const field = `quotas.${key}`;
    if (!Object.prototype.hasOwnProperty.call(AWS_QUOTAS, key)) {
      error(field, `is not a quota the guard knows; it knows ${Object.keys(AWS_QUOTAS).join(", ")}`);
      continue;
    }
    const quota = AWS_QUOTAS[key as keyof QuotaLimits];
    if (!quota.adjustable) {
      if (value !== quota.limit) {
        error(field, `cannot be raised: AWS fixes ${quota.name} at ${formatCount(quota.limit)}; got ${String(value)}`);
      }
      continue;
    }
    if (!isWholeNumber(value) || value < quota.limit) {
      error(
        field,
        `must be a whole number of at least ${formatCount(quota.limit)} (the AWS default of ${quota.name}): set it to the limit AWS raised your account to; got ${String(value)}`,
      );
      continue;
    }
    limits[key as keyof QuotaLimits] = value;
  }
  return { limits, problems };
}

/** Collects quota problems against the limits in force. */
class QuotaGuard {
  readonly problems: ConfigProblem[] = [];
  readonly limits: QuotaLimits;
  readonly limitProblems: readonly ConfigProblem[];

  constructor(effective: EffectiveLimits) {
    this.limits = effective.limits;
    this.limitProblems = effective.problems;
  }

  /**
   * Judges one count: above the limit an error, from 80 % a warning. The line reads
   * `<what>: <count> of <limit> (<quota>, <adjustability>): <where the count comes from>`.
   */
  count(key: keyof QuotaLimits, entry: string, field: string, what: string, count: number, source: string): void {
    const limit = this.limits[key];
    const severity = count > limit ? "error" : count >= QUOTA_WARNING_SHARE * limit ? "warning" : undefined;
    if (severity === undefined) return;
    this.problems.push({
      severity,
      entry,
      field,
      message: `${what}: ${formatCount(count)} of ${formatCount(limit)} (${describeQuota(key)}): ${source}`,
    });
  }
}

function describeQuota(key: keyof QuotaLimits): string {
  const quota = AWS_QUOTAS[key];
  return quota.adjustable
    ? `${quota.name}, adjustable: set quotas.${key} once AWS raises it`
    : `${quota.name}, not adjustable`;
}

function checkResourceServers(registry: Readonly<Record<string, unknown>>, guard: QuotaGuard): void {
  const servers = registry.resourceServers;
  if (!isRecord(servers)) return;
  const identifiers = Object.keys(servers);
  guard.count(
    "resourceServersPerUserPool",
    "resourceServers",
    "",
    "resource servers in each user pool",
    identifiers.length,
    `every environment's pool holds all ${formatCount(identifiers.length)} defined in resourceServers`,
  );
  for (const identifier of identifiers) {
    const server = servers[identifier];
    if (!isRecord(server) || !isRecord(server.scopes)) continue;
    const scopes = Object.keys(server.scopes).length;
    guard.count(
      "scopesPerResourceServer",
      keyedEntry("resourceServers", identifier),
      "scopes",
      "custom scopes",
      scopes,
      `${formatCount(scopes)} defined in resourceServers.${identifier}.scopes`,
    );
  }
}

/**
 * Lambda counts names and values of all variables. The user pool id is a Terraform reference at
 * synth, so it counts at the longest id Cognito issues.
 */
function checkRouteTableSize(registry: Readonly<Record<string, unknown>>, guard: QuotaGuard): void {
  const routes = registry.routes;
  if (!Array.isArray(routes)) return;
  const wellFormed = routes.filter(
    (route): route is RouteRule =>
      isRecord(route) &&
      typeof route.method === "string" &&
      typeof route.path === "string" &&
      Array.isArray(route.scopes),
  );
  const routeTableBytes = Buffer.byteLength(ROUTE_TABLE_ENV) + Buffer.byteLength(serializeRouteTable(wellFormed));
  const poolIdBytes = Buffer.byteLength(USER_POOL_ID_ENV) + MAX_USER_POOL_ID_LENGTH;
  guard.count(
    "lambdaEnvironmentBytes",
    "routes",
    "",
    "authorizer environment variables",
    routeTableBytes + poolIdBytes,
    `${formatCount(routeTableBytes)} bytes of ${ROUTE_TABLE_ENV} for ${formatCount(wellFormed.length)} routes + ${poolIdBytes} bytes of ${USER_POOL_ID_ENV}`,
  );
}

/** One environment as the account-wide quotas see it. */
interface Deployment {
  readonly environment: string;
  /** `account 111111111111 / eu-west-1`, or the environment's own account when none is set. */
  readonly accountRegion: string;
  readonly clients: number;
}

function environmentDeployments(registry: Readonly<Record<string, unknown>>): Deployment[] {
  const environments = registry.environments;
  if (!isRecord(environments)) return [];
  return Object.entries(environments).flatMap(([name, environment]) => {
    if (!isRecord(environment) || typeof environment.region !== "string") return [];
    const account =
      typeof environment.account === "string"
        ? `account ${environment.account}`
        : `${name}'s own account (no account set)`;
    return [
      { environment: name, accountRegion: `${account} / ${environment.region}`, clients: clientsIn(registry, name) },
    ];
  });
}

function clientsIn(registry: Readonly<Record<string, unknown>>, environment: string): number {
  const clients = registry.clients;
  if (!Array.isArray(clients)) return 0;
  return clients.filter(
    (client) => isRecord(client) && Array.isArray(client.environments) && client.environments.includes(environment),
  ).length;
}

function tierCount(registry: Readonly<Record<string, unknown>>): number {
  return isRecord(registry.tiers) ? Object.keys(registry.tiers).length : 0;
}

function checkEnvironments(
  registry: Readonly<Record<string, unknown>>,
  deployments: readonly Deployment[],
  guard: QuotaGuard,
): void {
  const project = typeof registry.project === "string" ? registry.project : DEFAULT_PROJECT;
  for (const { environment, clients } of deployments) {
    const entry = keyedEntry("environments", environment);
    guard.count(
      "appClientsPerUserPool",
      entry,
      "",
      `app clients in user pool ${awsNames.userPool(project, environment)}`,
      clients,
      `one per client that lists ${JSON.stringify(environment)} in its environments`,
    );
    guard.count("stagesPerApi", entry, "", "stages of the REST API", STAGES_PER_ENVIRONMENT, "the stack creates one");
    guard.count(
      "authorizersPerApi",
      entry,
      "",
      "authorizers of the REST API",
      AUTHORIZERS_PER_ENVIRONMENT,
      "the stack creates one",
    );
  }
}

/** API keys and usage plans, summed over environments that share an account and a region. */
function checkAccounts(
  registry: Readonly<Record<string, unknown>>,
  deployments: readonly Deployment[],
  guard: QuotaGuard,
): void {
  const groups = new Map<string, Deployment[]>();
  for (const deployment of deployments) {
    groups.set(deployment.accountRegion, [...(groups.get(deployment.accountRegion) ?? []), deployment]);
  }
  const tiers = tierCount(registry);
  for (const [accountRegion, members] of groups) {
    // The environment with most keys is named first: it is the one to move or trim.
    const byClients = [...members].sort((a, b) => b.clients - a.clients || a.environment.localeCompare(b.environment));
    const apiKeys = byClients.reduce((sum, member) => sum + member.clients, 0);
    guard.count(
      "apiKeysPerAccountAndRegion",
      keyedEntry("environments", byClients[0].environment),
      "",
      `API keys in ${accountRegion}`,
      apiKeys,
      byClients.map((member) => `${formatCount(member.clients)} from ${member.environment}`).join(" + "),
    );
    const byName = [...members].sort((a, b) => a.environment.localeCompare(b.environment));
    guard.count(
      "usagePlansPerAccountAndRegion",
      keyedEntry("environments", byName[0].environment),
      "",
      `usage plans in ${accountRegion}`,
      tiers * members.length,
      `one per tier in each environment: ${byName.map((member) => `${formatCount(tiers)} from ${member.environment}`).join(" + ")}`,
    );
  }
}

function checkClients(registry: Readonly<Record<string, unknown>>, guard: QuotaGuard): void {
  const clients = registry.clients;
  if (!Array.isArray(clients)) return;
  // Named as validateRegistry names them, so both read alike in one list.
  const entries = listEntryNames(
    "clients",
    clients.map((client) => (isRecord(client) && typeof client.key === "string" ? client.key : undefined)),
    isWellFormedClientKey,
  );
  clients.forEach((client, position) => {
    if (!isRecord(client)) return;
    const entry = entries[position];
    if (Array.isArray(client.scopes)) {
      const scopes = new Set(client.scopes).size;
      guard.count(
        "scopesPerAppClient",
        entry,
        "scopes",
        "scopes of the app client",
        scopes,
        `${formatCount(scopes)} listed in scopes`,
      );
    }
    guard.count(
      "usagePlansPerApiKey",
      entry,
      "",
      "usage plans of the API key",
      USAGE_PLANS_PER_API_KEY,
      "the key belongs to its tier's plan only",
    );
  });
}
