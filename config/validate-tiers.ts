/** Run-time checks of `tiers`: throttles, quotas and per-route throttles of each usage plan. */
import { USAGE_PLAN_QUOTA, USAGE_PLAN_THROTTLE } from "../model/aws-limits";
import type { EntryProblems, ProblemCollector } from "./problems";
import {
  type RegistryIndex,
  QUOTA_PERIODS,
  got,
  isNonEmptyText,
  isRecord,
  isWholeNumber,
  formatCount,
  keyedEntry,
  quoteAll,
} from "./validate-support";

const MAX_RATE_LIMIT = USAGE_PLAN_THROTTLE.maxRateLimit;
const MAX_BURST_LIMIT = USAGE_PLAN_THROTTLE.maxBurstLimit;
/** Tier names become Terraform addresses, usage-plan names and tag values. */
const TIER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function validateTiers(
  tiers: Readonly<Record<string, unknown>>,
  index: RegistryIndex,
  collector: ProblemCollector,
): void {
  for (const [name, tier] of Object.entries(tiers)) {
    const problems = collector.entry(keyedEntry("tiers", name));
    if (!TIER_NAME.test(name)) {
      problems.error(
        "name",
        `must be lower-case letters and digits in dash-separated words, starting with a letter (it becomes a Terraform address, the usage plan's name and a tag); ${got(name)}`,
      );
    }
    if (!isRecord(tier)) {
      problems.error("", `must be an object with description, throttle and quota; ${got(tier)}`);
      continue;
    }
    if (!isNonEmptyText(tier.description)) {
      problems.error("description", `must be a non-empty string; ${got(tier.description)}`);
    }
    const tierThrottle = checkThrottle("throttle", tier.throttle, problems);
    checkQuota(tier.quota, problems);
    checkRouteThrottles(tier.routeThrottles, tierThrottle, index, problems);
  }
}

interface ValidThrottle {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

/** Checks one throttle and returns the limits that are valid, for comparison with route throttles. */
function checkThrottle(field: string, throttle: unknown, problems: EntryProblems): ValidThrottle {
  if (!isRecord(throttle)) {
    problems.error(field, `must be an object with rateLimit and burstLimit; ${got(throttle)}`);
    return {};
  }
  const { rateLimit, burstLimit } = throttle;
  const validRate = typeof rateLimit === "number" && rateLimit > 0 && rateLimit <= MAX_RATE_LIMIT;
  if (!validRate) {
    problems.error(
      `${field}.rateLimit`,
      `must be a number greater than 0 and at most ${MAX_RATE_LIMIT} (API Gateway's account default); ${got(rateLimit)}`,
    );
  }
  const validBurst = isWholeNumber(burstLimit) && burstLimit >= 1 && burstLimit <= MAX_BURST_LIMIT;
  if (!validBurst) {
    problems.error(
      `${field}.burstLimit`,
      `must be a whole number from 1 to ${MAX_BURST_LIMIT} (API Gateway's account default); ${got(burstLimit)}`,
    );
  }
  return { rateLimit: validRate ? rateLimit : undefined, burstLimit: validBurst ? burstLimit : undefined };
}

function checkQuota(quota: unknown, problems: EntryProblems): void {
  if (!isRecord(quota)) {
    problems.error("quota", `must be an object with limit and period; ${got(quota)}`);
    return;
  }
  if (!isWholeNumber(quota.limit) || quota.limit < USAGE_PLAN_QUOTA.min || quota.limit > USAGE_PLAN_QUOTA.max) {
    problems.error(
      "quota.limit",
      `must be a whole number from ${USAGE_PLAN_QUOTA.min} to ${formatCount(USAGE_PLAN_QUOTA.max)} (API Gateway keeps it as a 32-bit integer); ${got(quota.limit)}`,
    );
  }
  if (!(QUOTA_PERIODS as readonly unknown[]).includes(quota.period)) {
    problems.error("quota.period", `must be one of ${quoteAll(QUOTA_PERIODS)}; ${got(quota.period)}`);
  }
}

function checkRouteThrottles(
  routeThrottles: unknown,
  tierThrottle: ValidThrottle,
  index: RegistryIndex,
  problems: EntryProblems,
): void {
  if (routeThrottles === undefined) return;
  if (!isRecord(routeThrottles)) {
    problems.error(
      "routeThrottles",
      `must be an object keyed by route, such as "POST /orders"; ${got(routeThrottles)}`,
    );
    return;
  }
  for (const [routeKey, throttle] of Object.entries(routeThrottles)) {
    const field = `routeThrottles[${JSON.stringify(routeKey)}]`;
    if (!index.routeKeys.has(routeKey)) {
      problems.error(field, `must name a configured route, method and path exactly as in routes; ${got(routeKey)}`);
    }
    const routeThrottle = checkThrottle(field, throttle, problems);
    // Route throttles exist to be tighter than the tier's (see TierConfig); a looser one is a slip.
    for (const limit of ["rateLimit", "burstLimit"] as const) {
      const routeValue = routeThrottle[limit];
      const tierValue = tierThrottle[limit];
      if (routeValue !== undefined && tierValue !== undefined && routeValue > tierValue) {
        problems.error(
          `${field}.${limit}`,
          `must not exceed the tier's throttle.${limit}, ${tierValue}; got ${routeValue}`,
        );
      }
    }
  }
}
