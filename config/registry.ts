/**
 * The machine-user registry: what `npm run synth` deploys.
 *
 * To add a partner, append one entry to `clients` and open a pull request. Names of environments,
 * scopes and tiers are checked by the compiler; `npm test` checks the rest.
 */
import { defineRegistry } from "./schema";

export default defineRegistry({
  project: "m2m",

  environments: {
    dev: {
      region: "eu-west-1",
      stageName: "v1",
      protected: false,
      cognitoDomainPrefix: "example-m2m-dev",
    },
    staging: {
      region: "eu-west-1",
      stageName: "v1",
      protected: false,
      cognitoDomainPrefix: "example-m2m-staging",
    },
    prod: {
      region: "eu-west-1",
      stageName: "v1",
      protected: true,
      cognitoDomainPrefix: "example-m2m-prod",
      logRetentionDays: 400,
    },
  },

  resourceServers: {
    orders: {
      name: "Orders API",
      scopes: {
        read: "Read orders and their status",
        write: "Create and cancel orders",
      },
    },
    inventory: {
      name: "Inventory API",
      scopes: {
        read: "Read stock levels",
        reserve: "Reserve stock for an order",
      },
    },
  },

  routes: [
    {
      method: "GET",
      path: "/whoami",
      scopes: [],
      integration: { type: "lambda", function: "whoami" },
      description: "The caller's client id, scopes, API key id and stage",
    },
    {
      method: "GET",
      path: "/orders",
      scopes: ["orders/read"],
      integration: {
        type: "http-proxy",
        url: {
          dev: "https://orders.dev.example.com/orders",
          staging: "https://orders.staging.example.com/orders",
          prod: "https://orders.example.com/orders",
        },
      },
    },
    {
      method: "POST",
      path: "/orders",
      scopes: ["orders/write"],
      integration: {
        type: "http-proxy",
        url: {
          dev: "https://orders.dev.example.com/orders",
          staging: "https://orders.staging.example.com/orders",
          prod: "https://orders.example.com/orders",
        },
      },
    },
    {
      method: "GET",
      path: "/orders/{orderId}",
      scopes: ["orders/read"],
      integration: {
        type: "http-proxy",
        url: {
          dev: "https://orders.dev.example.com/orders/{orderId}",
          staging: "https://orders.staging.example.com/orders/{orderId}",
          prod: "https://orders.example.com/orders/{orderId}",
        },
      },
    },
    {
      method: "DELETE",
      path: "/orders/{orderId}",
      scopes: ["orders/write"],
      integration: {
        type: "http-proxy",
        url: {
          dev: "https://orders.dev.example.com/orders/{orderId}",
          staging: "https://orders.staging.example.com/orders/{orderId}",
          prod: "https://orders.example.com/orders/{orderId}",
        },
      },
    },
    {
      method: "GET",
      path: "/inventory/items/{sku}",
      scopes: ["inventory/read"],
      integration: { type: "mock", statusCode: 200, body: '{"sku":"demo","available":42}' },
    },
    {
      method: "POST",
      path: "/inventory/items/{sku}/reservations",
      scopes: ["inventory/read", "inventory/reserve"],
      integration: { type: "mock", statusCode: 201, body: '{"reserved":true}' },
    },
  ],

  tiers: {
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
  },

  clients: [
    {
      key: "acme-billing",
      description: "ACME's billing back end reconciles orders nightly",
      owner: "partners@acme.example",
      tier: "silver",
      scopes: ["orders/read"],
      environments: ["dev", "staging", "prod"],
    },
    {
      key: "globex-fulfilment",
      description: "Globex creates and cancels orders for their shops",
      owner: "integrations@globex.example",
      tier: "gold",
      scopes: ["orders/read", "orders/write", "inventory/read", "inventory/reserve"],
      environments: ["dev", "staging", "prod"],
      accessTokenValidityMinutes: 30,
      consumerPrincipals: ["arn:aws:iam::210987654321:role/globex-fulfilment"],
    },
    {
      key: "initech-reports",
      description: "Initech's weekly stock report",
      owner: "data-team@initech.example",
      tier: "bronze",
      scopes: ["inventory/read"],
      environments: ["dev", "prod"],
      expires: "2028-06-30",
    },
    {
      key: "warehouse-bot",
      description: "Our warehouse robot controller reserves stock",
      owner: "team-warehouse",
      tier: "gold",
      scopes: ["inventory/read", "inventory/reserve"],
      environments: ["dev", "staging", "prod"],
      accessTokenValidityMinutes: 15,
    },
    {
      key: "load-test-runner",
      description: "Load tests before releases",
      owner: "team-platform",
      tier: "silver",
      scopes: ["orders/read", "orders/write"],
      environments: ["dev", "staging"],
    },
    {
      key: "umbrella-sandbox",
      description: "Umbrella evaluates the API before signing",
      owner: "bd@umbrella.example",
      tier: "bronze",
      scopes: ["orders/read"],
      environments: ["dev"],
      expires: "2027-12-31",
    },
  ],
});
