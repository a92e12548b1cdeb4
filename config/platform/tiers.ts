/** Usage-plan tiers: every client is metered and throttled in exactly one. */
import { defineTiers } from "../define-platform";

export const tiers = defineTiers({
  bronze: {
    description: "Trials and low-volume partners",
    throttle: { rateLimit: 5, burstLimit: 10 },
    quota: { limit: 10_000, period: "MONTH" },
  },
  silver: {
    description: "Production partners",
    throttle: { rateLimit: 50, burstLimit: 100 },
    quota: { limit: 100_000, period: "WEEK" },
    routeThrottles: {
      "POST /orders": { rateLimit: 10, burstLimit: 20 },
    },
  },
  gold: {
    description: "High-volume internal and strategic clients",
    throttle: { rateLimit: 500, burstLimit: 1000 },
    quota: { limit: 1_000_000, period: "DAY" },
  },
});
