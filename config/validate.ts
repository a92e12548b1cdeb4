/**
 * Run-time validation of a registry: everything the types in `./schema` cannot say (name syntax,
 * ranges, duplicates, cross references), and the names again, because a registry may come from a JS
 * module or an `as any`. It reports every problem at once, one line each, and never throws on a
 * malformed value: a missing or wrong-typed field is a problem like any other.
 *
 * Synth prints the lines and stops when any is an error; warnings (a client about to expire) only
 * print.
 */
import type { Registry } from "./schema";
import { utcDay } from "../model/dates";
import { LAMBDA_RUNTIME } from "../model/lambda-runtime";
import { isWellFormedClientKey, validateClients } from "./validate-clients";
import { validateEnvironments } from "./validate-environments";
import { validateResourceServers } from "./validate-resource-servers";
import { validateRoutes } from "./validate-routes";
import { validateLambdaRuntime } from "./validate-runtime";
import { validateDerivedNames } from "./validate-names";
import { validateClientFiles, validateTeams } from "./validate-client-files";
import { type ConfigProblem, ProblemCollector, formatProblem, hasErrors } from "./problems";
import { type RegistryIndex, got, isRecord, listEntryNames } from "./validate-support";
import { validateTiers } from "./validate-tiers";
import { PROJECT_NAME, checkAdditionalRegions, checkProject, checkTerraformCloudDefaults } from "./validate-settings";
import { DEFAULT_PROJECT } from "../model/defaults";
import { checkQuotas } from "./quotas";

export interface ValidateOptions {
  /**
   * Today's date for expiry checks; its UTC calendar day counts.
   * @default new Date()
   */
  readonly today?: Date;
  /**
   * The Lambda runtime to judge against AWS's schedule.
   * @default LAMBDA_RUNTIME, the one the stacks deploy
   */
  readonly lambdaRuntime?: string;
}

/**
 * Every problem of the registry, in registry order: project, environments, resource servers, routes,
 * tiers, clients, then the Lambda runtime the stacks deploy, then the AWS quotas the registry would
 * fill (`./quotas`); within a section in entry order. The one validation pass: synth, `changes` and
 * `access` all call it.
 */
export function validateRegistry(registry: Registry, options: ValidateOptions = {}): ConfigProblem[] {
  const today = options.today ?? new Date();
  // A bad `today` is the caller's bug, not the registry's: fail loudly rather than judge every expiry wrong.
  if (!(today instanceof Date) || Number.isNaN(today.getTime())) {
    throw new TypeError(`validateRegistry: options.today must be a valid Date; got ${String(today)}`);
  }

  const collector = new ProblemCollector();
  const problems = collector.entry("registry");
  const raw: unknown = registry;
  if (!isRecord(raw)) {
    problems.error("", `must be an object with environments, resourceServers, routes, tiers and clients; ${got(raw)}`);
    return collector.problems;
  }
  checkProject(raw.project, problems);
  const regions = checkAdditionalRegions(raw.additionalRegions, problems);
  checkTerraformCloudDefaults(raw.terraformCloud, problems);
  const project =
    raw.project === undefined
      ? DEFAULT_PROJECT
      : typeof raw.project === "string" && PROJECT_NAME.test(raw.project)
        ? raw.project
        : undefined;

  const environments = keyedSection(raw.environments, "environment");
  const resourceServers = keyedSection(raw.resourceServers, "resource server");
  const routes = listSection(raw.routes, "route");
  const tiers = keyedSection(raw.tiers, "tier");
  const clients = listSection(raw.clients, "client");
  const clientSources = Array.isArray(raw.clientFiles)
    ? raw.clientFiles.map((source: unknown) =>
        isRecord(source) && typeof source.file === "string" ? source.file : undefined,
      )
    : [];
  const index = {
    project,
    regions,
    clientSources,
    ...indexRegistry(environments.value, resourceServers.value, routes.value, tiers.value, clients.value),
  };
  const reportSection = (field: string, section: Section<unknown>): void => {
    if (section.problem !== undefined) problems.error(field, section.problem);
  };

  reportSection("environments", environments);
  validateEnvironments(environments.value, clients.value, index, collector);
  reportSection("resourceServers", resourceServers);
  validateResourceServers(resourceServers.value, collector);
  reportSection("routes", routes);
  validateRoutes(routes.value, index, collector);
  reportSection("tiers", tiers);
  validateTiers(tiers.value, index, collector);
  const teamNames = validateTeams(raw.teams, raw.platformReviewers, collector);
  reportSection("clients", clients);
  validateClients(clients.value, index, utcDay(today), collector);
  validateClientFiles(clients.value, raw.clientFiles, teamNames, index, collector);
  validateDerivedNames(environments.value, tiers.value, clients.value, index, collector);
  validateLambdaRuntime(options.lambdaRuntime ?? LAMBDA_RUNTIME, utcDay(today), collector);
  // AWS quotas, once the sections are judged: a registry that would exceed one fails here, not
  // halfway through an apply.
  return [...collector.problems, ...checkQuotas(registry)];
}

/** A top-level section as the validators read it: malformed counts as empty, with a problem to report. */
interface Section<T> {
  readonly value: T;
  readonly problem?: string;
}

/** A section keyed by name (environments, resource servers, tiers): it must define at least one. */
function keyedSection(value: unknown, what: string): Section<Readonly<Record<string, unknown>>> {
  if (!isRecord(value))
    return { value: {}, problem: `must be an object mapping ${what} names to their settings; ${got(value)}` };
  if (Object.keys(value).length === 0) return { value, problem: `must define at least one ${what}; got none` };
  return { value };
}

/** A list section (routes, clients); it may be empty. */
function listSection(value: unknown, what: string): Section<readonly unknown[]> {
  return Array.isArray(value) ? { value } : { value: [], problem: `must be a list of ${what}s; ${got(value)}` };
}

function indexRegistry(
  environments: Readonly<Record<string, unknown>>,
  resourceServers: Readonly<Record<string, unknown>>,
  routes: readonly unknown[],
  tiers: Readonly<Record<string, unknown>>,
  clients: readonly unknown[],
): Omit<RegistryIndex, "project" | "regions" | "clientSources"> {
  const definedScopes = Object.entries(resourceServers).flatMap(([identifier, server]) =>
    isRecord(server) && isRecord(server.scopes)
      ? Object.keys(server.scopes).map((scope) => `${identifier}/${scope}`)
      : [],
  );
  const routeLabels = routes.map((route) =>
    isRecord(route) && typeof route.method === "string" && typeof route.path === "string"
      ? `${route.method} ${route.path}`
      : undefined,
  );
  const requiredScopes = routes.flatMap((route) =>
    isRecord(route) && Array.isArray(route.scopes)
      ? route.scopes.filter((scope): scope is string => typeof scope === "string")
      : [],
  );
  const clientKeys = clients.map((client) =>
    isRecord(client) && typeof client.key === "string" ? client.key : undefined,
  );
  return {
    environmentNames: Object.keys(environments),
    definedScopes,
    tierNames: Object.keys(tiers),
    routeEntries: listEntryNames("routes", routeLabels, () => true),
    routeKeys: new Set(routeLabels.filter((label): label is string => label !== undefined)),
    requiredScopes: new Set(requiredScopes),
    clientEntries: listEntryNames("clients", clientKeys, isWellFormedClientKey),
  };
}

/** Thrown by `assertValidRegistry`; `.problems` holds all of them, `.message` is all lines joined by "\n". */
export class ConfigValidationError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigValidationError";
    this.problems = problems;
  }
}

/** Throws a `ConfigValidationError` when the registry has any error; returns its warnings otherwise. */
export function assertValidRegistry(registry: Registry, options?: ValidateOptions): ConfigProblem[] {
  const problems = validateRegistry(registry, options);
  if (hasErrors(problems)) throw new ConfigValidationError(problems);
  return problems;
}
