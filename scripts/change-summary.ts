/**
 * What a registry change does to each environment, from the two configs alone: clients added,
 * removed (their credentials are destroyed for good), moved between tiers, scopes widened or
 * narrowed, token validity and consumer principals changed, tiers whose limits changed and how many
 * clients that touches, routes added, removed or re-scoped. `npm run changes` prints it as Markdown
 * for a pull request.
 *
 * Both registries must have passed `validateRegistry`: this module reads them, it does not judge them.
 */
import { DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES, DEFAULT_PROJECT } from "../model/defaults";
import { tokenUrl } from "../model/names";
import { DEFAULT_CLIENT_SHARDS, stackOfClient } from "../model/shards";
import { formatCount } from "../config/validate-support";
import { clientAccess, type ClientAccess } from "./lib/client-access";
import {
  clientsInEnvironment,
  type ClientConfig,
  type Registry,
  type RouteConfig,
  type ThrottleConfig,
  type TierConfig,
} from "../config/schema";

type AnyClient = ClientConfig<string, string, string>;
type AnyRoute = RouteConfig<string, string>;

/** One change in one environment. `warning` marks the ones a reviewer must not miss. */
export type Change =
  | { readonly kind: "environment-added" }
  | { readonly kind: "environment-removed"; readonly clients: number }
  | {
      readonly kind: "user-pool-replaced";
      readonly reason: string;
      readonly clients: number;
      readonly protected: boolean;
    }
  | { readonly kind: "token-url-changed"; readonly from: string; readonly to: string }
  | {
      readonly kind: "client-shards-changed";
      readonly environment: string;
      readonly from: number;
      readonly to: number;
      /** Clients of both sides whose stack changes. */
      readonly moving: number;
    }
  | {
      readonly kind: "client-added";
      readonly client: string;
      readonly tier: string;
      readonly scopes: readonly string[];
      readonly owner: string;
      /** Principals outside the account that may read its credentials secret. */
      readonly consumerPrincipals: readonly string[];
      /** The routes it may call. */
      readonly routes: readonly string[];
    }
  | { readonly kind: "client-removed"; readonly client: string; readonly owner: string }
  | { readonly kind: "tier-moved"; readonly client: string; readonly from: string; readonly to: string }
  | {
      readonly kind: "scopes-widened";
      readonly client: string;
      readonly added: readonly string[];
      /** True when the added scopes open no route the client could not call before. */
      readonly opensNoRoute: boolean;
    }
  | { readonly kind: "access-opened"; readonly client: string; readonly routes: readonly string[] }
  | { readonly kind: "access-closed"; readonly client: string; readonly routes: readonly string[] }
  | { readonly kind: "scopes-narrowed"; readonly client: string; readonly removed: readonly string[] }
  | {
      readonly kind: "token-validity-changed";
      readonly client: string;
      readonly fromMinutes: number;
      readonly toMinutes: number;
    }
  | { readonly kind: "principals-added"; readonly client: string; readonly principals: readonly string[] }
  | { readonly kind: "principals-removed"; readonly client: string; readonly principals: readonly string[] }
  | { readonly kind: "tier-added"; readonly tier: string; readonly clients: number }
  | { readonly kind: "tier-removed"; readonly tier: string }
  | {
      readonly kind: "tier-limits-changed";
      readonly tier: string;
      readonly details: readonly string[];
      readonly clients: number;
    }
  | { readonly kind: "route-added"; readonly route: string; readonly scopes: readonly string[] }
  | { readonly kind: "route-removed"; readonly route: string }
  | {
      readonly kind: "route-scopes-changed";
      readonly route: string;
      readonly from: readonly string[];
      readonly to: readonly string[];
    };

/** The changes of one environment, in a fixed order. */
export interface EnvironmentChanges {
  readonly environment: string;
  readonly changes: readonly Change[];
}

/** The changes of every environment of either registry: the head's in its order, then removed ones. */
export interface ChangeSummary {
  /** The git ref compared against, as given. */
  readonly base: string;
  /** True when the registry module did not exist at the base ref: everything is new. */
  readonly baseMissing: boolean;
  readonly environments: readonly EnvironmentChanges[];
}

/** Compares the registry at the base (undefined: it did not exist) with the head. */
export function summarizeChanges(baseRef: string, base: Registry | undefined, head: Registry): ChangeSummary {
  const baseEnvironments = base ? Object.keys(base.environments) : [];
  const headEnvironments = Object.keys(head.environments);
  const names = [...headEnvironments, ...baseEnvironments.filter((name) => !headEnvironments.includes(name))];
  return {
    base: baseRef,
    baseMissing: base === undefined,
    environments: names.map((environment) => ({
      environment,
      changes: environmentChanges(
        base && baseEnvironments.includes(environment) ? base : undefined,
        headEnvironments.includes(environment) ? head : undefined,
        environment,
      ),
    })),
  };
}

function clientsIn(registry: Registry | undefined, environment: string): Map<string, AnyClient> {
  const clients: readonly AnyClient[] = registry ? clientsInEnvironment(registry, environment) : [];
  return new Map(clients.map((c) => [c.key, c]));
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (values: Iterable<string>) => [...values].sort(byText);
const minus = (a: readonly string[], b: readonly string[]) => sorted(a.filter((x) => !b.includes(x)));

/** `base` / `head` are undefined where the environment does not exist on that side. */
function environmentChanges(base: Registry | undefined, head: Registry | undefined, environment: string): Change[] {
  const before = clientsIn(base, environment);
  const after = clientsIn(head, environment);
  const accessBefore = base ? clientAccess(base, environment) : new Map<string, ClientAccess>();
  const accessAfter = head ? clientAccess(head, environment) : new Map<string, ClientAccess>();
  const changes: Change[] = [];
  if (base === undefined && head !== undefined) changes.push({ kind: "environment-added" });
  if (head === undefined) changes.push({ kind: "environment-removed", clients: before.size });
  if (base !== undefined && head !== undefined) changes.push(...poolChanges(base, head, environment, before.size));

  for (const key of sorted(after.keys())) {
    const client = after.get(key)!;
    if (!before.has(key)) {
      changes.push({
        kind: "client-added",
        client: key,
        tier: client.tier,
        scopes: sorted(client.scopes),
        owner: client.owner,
        consumerPrincipals: sorted(client.consumerPrincipals ?? []),
        routes: accessAfter.get(key)?.routes ?? [],
      });
    }
  }
  for (const key of sorted(before.keys())) {
    if (!after.has(key)) changes.push({ kind: "client-removed", client: key, owner: before.get(key)!.owner });
  }
  const kept = sorted([...after.keys()].filter((key) => before.has(key)));
  for (const key of kept) {
    changes.push(...clientChanges(before.get(key)!, after.get(key)!, accessBefore.get(key)!, accessAfter.get(key)!));
  }

  if (head !== undefined) changes.push(...tierChanges(base, head, after));
  if (base !== undefined && head !== undefined) changes.push(...routeChanges(base.routes, head.routes));
  if (base === undefined && head !== undefined) changes.push(...routeChanges([], head.routes));
  return changes;
}

function clientChanges(
  before: AnyClient,
  after: AnyClient,
  accessBefore: ClientAccess,
  accessAfter: ClientAccess,
): Change[] {
  const client = after.key;
  const changes: Change[] = [];
  if (before.tier !== after.tier) changes.push({ kind: "tier-moved", client, from: before.tier, to: after.tier });
  const added = minus(after.scopes, before.scopes);
  const removed = minus(before.scopes, after.scopes);
  // In route-table order, as the authorizer lists them.
  const opened = accessAfter.routes.filter((route) => !accessBefore.routes.includes(route));
  const closed = accessBefore.routes.filter((route) => !accessAfter.routes.includes(route));
  if (added.length > 0) changes.push({ kind: "scopes-widened", client, added, opensNoRoute: opened.length === 0 });
  if (removed.length > 0) changes.push({ kind: "scopes-narrowed", client, removed });
  if (opened.length > 0) changes.push({ kind: "access-opened", client, routes: opened });
  if (closed.length > 0) changes.push({ kind: "access-closed", client, routes: closed });
  const fromMinutes = before.accessTokenValidityMinutes ?? DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES;
  const toMinutes = after.accessTokenValidityMinutes ?? DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES;
  if (fromMinutes !== toMinutes) changes.push({ kind: "token-validity-changed", client, fromMinutes, toMinutes });
  const principalsAdded = minus(after.consumerPrincipals ?? [], before.consumerPrincipals ?? []);
  const principalsRemoved = minus(before.consumerPrincipals ?? [], after.consumerPrincipals ?? []);
  if (principalsAdded.length > 0) changes.push({ kind: "principals-added", client, principals: principalsAdded });
  if (principalsRemoved.length > 0) changes.push({ kind: "principals-removed", client, principals: principalsRemoved });
  return changes;
}

/**
 * Changes that replace the user pool (its name derives from `project`; a pool cannot move region) or
 * its hosted domain: every client of the environment is hit at once, so they lead the list.
 */
function poolChanges(base: Registry, head: Registry, environment: string, clients: number): Change[] {
  const before = base.environments[environment];
  const after = head.environments[environment];
  const changes: Change[] = [];
  const projectBefore = base.project ?? DEFAULT_PROJECT;
  const projectAfter = head.project ?? DEFAULT_PROJECT;
  const reasons = [
    ...(projectBefore !== projectAfter ? [`project ${code(projectBefore)} → ${code(projectAfter)}`] : []),
    ...(before.region !== after.region ? [`region ${code(before.region)} → ${code(after.region)}`] : []),
  ];
  if (reasons.length > 0) {
    changes.push({ kind: "user-pool-replaced", reason: reasons.join(", "), clients, protected: after.protected });
  }
  if (before.cognitoDomainPrefix !== after.cognitoDomainPrefix || before.region !== after.region) {
    changes.push({
      kind: "token-url-changed",
      from: tokenUrl(before.cognitoDomainPrefix, before.region),
      to: tokenUrl(after.cognitoDomainPrefix, after.region),
    });
  }
  const shardsBefore = before.clientShards ?? DEFAULT_CLIENT_SHARDS;
  const shardsAfter = after.clientShards ?? DEFAULT_CLIENT_SHARDS;
  if (shardsBefore !== shardsAfter) {
    const stays = new Set(clientsInEnvironment(base, environment).map((c) => c.key));
    const moving = clientsInEnvironment(head, environment).filter(
      (c) =>
        stays.has(c.key) &&
        stackOfClient(environment, c.key, shardsBefore) !== stackOfClient(environment, c.key, shardsAfter),
    ).length;
    changes.push({ kind: "client-shards-changed", environment, from: shardsBefore, to: shardsAfter, moving });
  }
  return changes;
}

/** Tiers are shared by every environment; the client counts are this environment's. */
function tierChanges(base: Registry | undefined, head: Registry, clients: Map<string, AnyClient>): Change[] {
  const beforeTiers = (base?.tiers ?? {}) as Readonly<Record<string, TierConfig>>;
  const afterTiers = head.tiers as Readonly<Record<string, TierConfig>>;
  const inTier = (tier: string) => [...clients.values()].filter((c) => c.tier === tier).length;
  const changes: Change[] = [];
  for (const tier of sorted(Object.keys(afterTiers))) {
    const before = beforeTiers[tier];
    if (before === undefined) {
      changes.push({ kind: "tier-added", tier, clients: inTier(tier) });
      continue;
    }
    const details = tierLimitDetails(before, afterTiers[tier]);
    if (details.length > 0) changes.push({ kind: "tier-limits-changed", tier, details, clients: inTier(tier) });
  }
  for (const tier of sorted(Object.keys(beforeTiers))) {
    if (afterTiers[tier] === undefined) changes.push({ kind: "tier-removed", tier });
  }
  return changes;
}

function describeThrottle(throttle: ThrottleConfig | undefined): string {
  return throttle === undefined
    ? "none"
    : `${formatCount(throttle.rateLimit)}/s, burst ${formatCount(throttle.burstLimit)}`;
}

function tierLimitDetails(before: TierConfig, after: TierConfig): string[] {
  const details: string[] = [];
  const throttleBefore = describeThrottle(before.throttle);
  const throttleAfter = describeThrottle(after.throttle);
  if (throttleBefore !== throttleAfter) details.push(`throttle ${throttleBefore} → ${throttleAfter}`);
  const quotaBefore = `${formatCount(before.quota.limit)} per ${before.quota.period}`;
  const quotaAfter = `${formatCount(after.quota.limit)} per ${after.quota.period}`;
  if (quotaBefore !== quotaAfter) details.push(`quota ${quotaBefore} → ${quotaAfter}`);
  const routesBefore = (before.routeThrottles ?? {}) as Readonly<Record<string, ThrottleConfig>>;
  const routesAfter = (after.routeThrottles ?? {}) as Readonly<Record<string, ThrottleConfig>>;
  for (const route of sorted(new Set([...Object.keys(routesBefore), ...Object.keys(routesAfter)]))) {
    const from = describeThrottle(routesBefore[route]);
    const to = describeThrottle(routesAfter[route]);
    if (from !== to) details.push(`${route} throttle ${from} → ${to}`);
  }
  return details;
}

function routeChanges(before: readonly AnyRoute[], after: readonly AnyRoute[]): Change[] {
  const keyed = (routes: readonly AnyRoute[]) => new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  const beforeRoutes = keyed(before);
  const afterRoutes = keyed(after);
  const changes: Change[] = [];
  for (const route of sorted(afterRoutes.keys())) {
    const scopes = sorted(afterRoutes.get(route)!.scopes);
    const previous = beforeRoutes.get(route);
    if (previous === undefined) {
      changes.push({ kind: "route-added", route, scopes });
    } else if (sorted(previous.scopes).join(" ") !== scopes.join(" ")) {
      changes.push({ kind: "route-scopes-changed", route, from: sorted(previous.scopes), to: scopes });
    }
  }
  for (const route of sorted(beforeRoutes.keys())) {
    if (!afterRoutes.has(route)) changes.push({ kind: "route-removed", route });
  }
  return changes;
}

const code = (text: string) => `\`${text}\``;
const codeList = (values: readonly string[]) => (values.length === 0 ? "none" : values.map(code).join(", "));
const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? "" : "s"}`;

/** One Markdown bullet (without the leading `- `). */
export function describeChange(change: Change): string {
  switch (change.kind) {
    case "environment-added":
      return "**new environment**: everything in it is created";
    case "environment-removed":
      return `⚠️ **environment removed**: its user pool, API and ${plural(change.clients, "client")} are destroyed, and their credentials with them`;
    case "user-pool-replaced":
      return (
        `⚠️ **user pool replaced** (${change.reason}): every client (${change.clients}) gets a new client id and secret` +
        (change.protected ? "; this environment is protected, so its plan will refuse" : "")
      );
    case "token-url-changed":
      return `⚠️ **token URL changes** for every client: ${change.from} → ${change.to}`;
    case "client-shards-changed":
      return `**client shards** ${change.from} → ${change.to}: ${plural(change.moving, "client")} move to another stack's state by import, nothing replaced; \`npm run reshard -- --env ${change.environment}\` writes the moves this pull request must carry`;
    case "client-added":
      return (
        `**added** ${code(change.client)}: tier ${code(change.tier)}, scopes ${codeList(change.scopes)}, owner ${change.owner}` +
        (change.consumerPrincipals.length > 0 ? `; secret readable by ${codeList(change.consumerPrincipals)}` : "") +
        `; may call ${codeList(change.routes)}`
      );
    case "client-removed":
      return `⚠️ **removed** ${code(change.client)} (owner ${change.owner}): its client id and secret are destroyed for good`;
    case "tier-moved":
      return `${code(change.client)} moved from tier ${code(change.from)} to ${code(change.to)}`;
    case "scopes-widened":
      return (
        `⚠️ **scopes widened** for ${code(change.client)}: adds ${codeList(change.added)}` +
        (change.opensNoRoute ? ", which opens no route" : "")
      );
    case "access-opened":
      return `⚠️ ${code(change.client)} **may now call** ${codeList(change.routes)}`;
    case "access-closed":
      return `${code(change.client)} may no longer call ${codeList(change.routes)}`;
    case "scopes-narrowed":
      return `scopes narrowed for ${code(change.client)}: drops ${codeList(change.removed)}`;
    case "token-validity-changed":
      return `${code(change.client)} access-token validity ${change.fromMinutes} → ${change.toMinutes} minutes`;
    case "principals-added":
      return `⚠️ **secret readable by more** for ${code(change.client)}: adds ${codeList(change.principals)}`;
    case "principals-removed":
      return `${code(change.client)} secret no longer readable by ${codeList(change.principals)}`;
    case "tier-added":
      return `tier ${code(change.tier)} added (${plural(change.clients, "client")})`;
    case "tier-removed":
      return `tier ${code(change.tier)} removed`;
    case "tier-limits-changed":
      return `tier ${code(change.tier)} limits changed: ${change.details.join("; ")} (touches ${plural(change.clients, "client")})`;
    case "route-added":
      return `route added ${code(change.route)} (scopes ${codeList(change.scopes)})`;
    case "route-removed":
      return `route removed ${code(change.route)}`;
    case "route-scopes-changed":
      return `route ${code(change.route)} scopes ${codeList(change.from)} → ${codeList(change.to)}`;
  }
}

/** The summary as a pull-request comment: a heading per environment, "No changes." where there are none. */
export function renderMarkdown(summary: ChangeSummary, configPath: string): string {
  const lines = [`# Config changes: ${code(summary.base)} → working tree`, ""];
  if (summary.baseMissing)
    lines.push(`${code(configPath)} does not exist at ${code(summary.base)}: everything is new.`, "");
  for (const { environment, changes } of summary.environments) {
    lines.push(`## ${environment}`, "");
    if (changes.length === 0) lines.push("No changes.");
    for (const change of changes) lines.push(`- ${describeChange(change)}`);
    lines.push("");
  }
  return lines.join("\n");
}
