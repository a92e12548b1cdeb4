/**
 * Compile-time checks of `defineRegistry`: each `@ts-expect-error` below must stay an error, or
 * `tsc --noEmit` (part of `npm test`) fails with "Unused '@ts-expect-error' directive".
 */
import { defineRegistry } from "../../config/schema";

const environments = {
  dev: { region: "eu-west-1", stageName: "v1", protected: false, cognitoDomainPrefix: "t-dev" },
} as const;
const resourceServers = { orders: { name: "Orders", scopes: { read: "Read" } } } as const;
const tiers = {
  basic: { description: "b", throttle: { rateLimit: 1, burstLimit: 1 }, quota: { limit: 1, period: "DAY" } },
} as const;

export const wrongTier = defineRegistry({
  environments,
  resourceServers,
  tiers,
  routes: [],
  // @ts-expect-error "gold" is not a tier of this registry
  clients: [{ key: "a", description: "d", owner: "o", tier: "gold", scopes: ["orders/read"], environments: ["dev"] }],
});

export const wrongScope = defineRegistry({
  environments,
  resourceServers,
  tiers,
  routes: [],
  // @ts-expect-error "orders/write" is not a scope of any resource server
  clients: [{ key: "a", description: "d", owner: "o", tier: "basic", scopes: ["orders/write"], environments: ["dev"] }],
});

export const wrongEnvironment = defineRegistry({
  environments,
  resourceServers,
  tiers,
  routes: [],
  // @ts-expect-error "prod" is not an environment of this registry
  clients: [{ key: "a", description: "d", owner: "o", tier: "basic", scopes: ["orders/read"], environments: ["prod"] }],
});

export const wrongRouteScope = defineRegistry({
  environments,
  resourceServers,
  tiers,
  // @ts-expect-error a route may only demand a defined scope
  routes: [{ method: "GET", path: "/x", scopes: ["orders/READ"], integration: { type: "mock" } }],
  clients: [],
});

export const missingUpstream = defineRegistry({
  environments: { ...environments, prod: environments.dev },
  resourceServers,
  tiers,
  routes: [
    // @ts-expect-error an HTTP proxy needs an upstream URL for every environment
    { method: "GET", path: "/x", scopes: [], integration: { type: "http-proxy", url: { dev: "https://x" } } },
  ],
  clients: [],
});

export const valid = defineRegistry({
  environments,
  resourceServers,
  tiers,
  routes: [{ method: "GET", path: "/x", scopes: ["orders/read"], integration: { type: "mock" } }],
  clients: [{ key: "a", description: "d", owner: "o", tier: "basic", scopes: ["orders/read"], environments: ["dev"] }],
});

// The file layout: `defineClient` from a platform, as in config/clients/<team>/<key>.ts. The error is
// reported at the line of the mistake, in the client's own file.
import { definePlatform, defineRoutes, defineTeams } from "../../config/define-platform";

const platform = definePlatform({
  environments,
  resourceServers,
  routes: defineRoutes({ environments, resourceServers }, [
    { method: "GET", path: "/x", scopes: ["orders/read"], integration: { type: "mock" } },
  ]),
  tiers,
  teams: defineTeams({ billing: { reviewers: ["@example-org/billing"] } }),
  platformReviewers: ["@example-org/platform"],
});
const { defineClient } = platform;

export const clientWithWrongTier = defineClient({
  key: "a",
  description: "d",
  owner: "o",
  // @ts-expect-error "gold" is not a tier of the platform
  tier: "gold",
  scopes: ["orders/read"],
  environments: ["dev"],
});

export const clientWithWrongScope = defineClient({
  key: "a",
  description: "d",
  owner: "o",
  tier: "basic",
  // @ts-expect-error "orders/write" is not a scope of the platform
  scopes: ["orders/write"],
  environments: ["dev"],
});

export const clientWithWrongEnvironment = defineClient({
  key: "a",
  description: "d",
  owner: "o",
  tier: "basic",
  scopes: ["orders/read"],
  // @ts-expect-error "prod" is not an environment of the platform
  environments: ["prod"],
});

export const routeWithWrongScope = defineRoutes({ environments, resourceServers }, [
  // @ts-expect-error a route may only demand a scope the resource servers define
  { method: "GET", path: "/y", scopes: ["orders/READ"], integration: { type: "mock" } },
]);

export const validClient = defineClient({
  key: "a",
  description: "d",
  owner: "o",
  tier: "basic",
  scopes: ["orders/read"],
  environments: ["dev"],
});
