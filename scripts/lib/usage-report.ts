/**
 * The per-client usage report: for every client the config deploys to an environment, its tier's
 * quota and throttle, the requests API Gateway metered in a date range, what is left of the quota and
 * how much of it is used. Joins the config with what `find-deployed` finds and `GetUsage` returns.
 */
import { type APIGatewayClient, type UsagePlan, paginateGetUsage } from "@aws-sdk/client-api-gateway";
import type { QuotaPeriod } from "../../config/schema";
import type { DateRange } from "./date-range";
import type { EnvironmentContext } from "./environment-context";
import { findClientApiKeys, findUsagePlanKeyIds, findUsagePlans } from "./find-deployed";

/** Clients above this share of their quota are flagged. */
export const FLAG_PERCENT = 80;

/** API Gateway's largest `GetUsage` page. */
const USAGE_PAGE_SIZE = 500;

/**
 * - `ok`: metered by its tier's plan (a client with no requests is `ok` with 0 used).
 * - `not deployed`: in the config, but no API key of the client exists yet.
 * - `tier not deployed`: the tier's usage plan does not exist.
 * - `not in usage plan`: the API key exists but is not attached to its tier's plan, so nothing meters it.
 */
export type ClientUsageStatus = "ok" | "not deployed" | "tier not deployed" | "not in usage plan";

/** One row of the report. */
export interface ClientUsage {
  readonly client: string;
  readonly tier: string;
  /** Of the deployed plan when there is one (what API Gateway enforces), else of the config. */
  readonly quota: { readonly limit: number; readonly period: QuotaPeriod | string };
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly status: ClientUsageStatus;
  /** Requests in the range; `null` unless `ok`. */
  readonly used: number | null;
  /** Quota left in the period that contains the range's last day; `null` unless `ok`. */
  readonly remaining: number | null;
  /** `(limit - remaining) / limit` in percent, one decimal; `null` unless `ok`. */
  readonly percentOfQuota: number | null;
  /** Above {@link FLAG_PERCENT}. */
  readonly flagged: boolean;
}

/** The whole report. */
export interface UsageReport {
  readonly environment: string;
  readonly region: string;
  readonly from: string;
  readonly to: string;
  /** Sorted by share of quota used, highest first; clients without figures last, by name. */
  readonly clients: readonly ClientUsage[];
  /** Client keys of API keys tagged for the environment that the config no longer has. */
  readonly deployedNotInConfig: readonly string[];
}

/** Inputs of {@link buildUsageReport}. */
export interface UsageReportInput {
  readonly context: EnvironmentContext;
  readonly range: DateRange;
  readonly apiGateway: APIGatewayClient;
}

/** Daily `[used, remaining]` pairs of every API key of a plan over the range, all pages merged. */
async function usageByKeyId(
  apiGateway: APIGatewayClient,
  usagePlanId: string,
  range: DateRange,
): Promise<Map<string, number[][]>> {
  const byKey = new Map<string, number[][]>();
  const pages = paginateGetUsage(
    { client: apiGateway, pageSize: USAGE_PAGE_SIZE },
    { usagePlanId, startDate: range.from, endDate: range.to },
  );
  for await (const page of pages) {
    for (const [keyId, days] of Object.entries(page.items ?? {})) {
      byKey.set(keyId, [...(byKey.get(keyId) ?? []), ...days]);
    }
  }
  return byKey;
}

function roundOneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

function limitsOf(plan: UsagePlan | undefined, tier: EnvironmentContext["registry"]["tiers"][string]) {
  return {
    quota: {
      limit: plan?.quota?.limit ?? tier.quota.limit,
      period: plan?.quota?.period ?? tier.quota.period,
    },
    throttle: {
      rateLimit: plan?.throttle?.rateLimit ?? tier.throttle.rateLimit,
      burstLimit: plan?.throttle?.burstLimit ?? tier.throttle.burstLimit,
    },
  };
}

function compareRows(a: ClientUsage, b: ClientUsage): number {
  if (a.percentOfQuota !== null && b.percentOfQuota !== null && a.percentOfQuota !== b.percentOfQuota) {
    return b.percentOfQuota - a.percentOfQuota;
  }
  if ((a.percentOfQuota === null) !== (b.percentOfQuota === null)) return a.percentOfQuota === null ? 1 : -1;
  return a.client.localeCompare(b.client);
}

/** Reads the deployed plans, keys and usage of the environment and joins them with the config. */
export async function buildUsageReport(input: UsageReportInput): Promise<UsageReport> {
  const { context, range, apiGateway } = input;
  const [plans, keys] = await Promise.all([
    findUsagePlans(apiGateway, context),
    findClientApiKeys(apiGateway, context),
  ]);

  const tiersInUse = [...new Set(context.clients.map((c) => c.tier))].filter((tier) => plans.has(tier));
  const planData = new Map(
    await Promise.all(
      tiersInUse.map(async (tier) => {
        const planId = plans.get(tier)!.id!;
        const [keyIds, usage] = await Promise.all([
          findUsagePlanKeyIds(apiGateway, planId),
          usageByKeyId(apiGateway, planId, range),
        ]);
        return [tier, { keyIds, usage }] as const;
      }),
    ),
  );

  const rows = context.clients.map((client): ClientUsage => {
    const plan = plans.get(client.tier);
    const limits = limitsOf(plan, context.registry.tiers[client.tier]);
    const key = keys.byClient.get(client.key);
    const data = planData.get(client.tier);
    const without = (status: ClientUsageStatus): ClientUsage => ({
      client: client.key,
      tier: client.tier,
      ...limits,
      status,
      used: null,
      remaining: null,
      percentOfQuota: null,
      flagged: false,
    });
    if (!key?.id) return without("not deployed");
    if (!plan || !data) return without("tier not deployed");
    if (!data.keyIds.has(key.id)) return without("not in usage plan");

    const days = data.usage.get(key.id) ?? [];
    const used = days.reduce((sum, [dayUsed]) => sum + (dayUsed ?? 0), 0);
    // A key with no requests in the range may be missing from the answer: its whole quota is left.
    const remaining = days.length > 0 ? (days[days.length - 1][1] ?? limits.quota.limit) : limits.quota.limit;
    const limit = limits.quota.limit;
    const percentOfQuota = limit > 0 ? roundOneDecimal((Math.max(0, limit - remaining) / limit) * 100) : 0;
    return {
      client: client.key,
      tier: client.tier,
      ...limits,
      status: "ok",
      used,
      remaining,
      percentOfQuota,
      flagged: percentOfQuota > FLAG_PERCENT,
    };
  });

  return {
    environment: context.environmentName,
    region: context.environment.region,
    from: range.from,
    to: range.to,
    clients: rows.sort(compareRows),
    deployedNotInConfig: keys.notInConfig,
  };
}
