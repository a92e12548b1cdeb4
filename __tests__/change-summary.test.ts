/**
 * What a registry change does to each environment, as `npm run changes` puts it in a pull request:
 * each test compares two fixtures with `summarizeChanges` and asserts the exact Markdown. Who may
 * call which route comes from the authorizer's own policy code (`model/route-access.ts`).
 * `__tests__/changes.test.ts` runs the command itself against git repositories.
 */
import type { Registry } from "../config/schema";
import { renderMarkdown, summarizeChanges } from "../scripts/change-summary";
import { minimalRegistry } from "./fixtures/minimal-registry";
import sample from "./fixtures/sample-registry";

/** `base`, deep-copied and changed by `change`. */
function changed(base: Registry, change: (draft: any) => void): Registry {
  const draft: any = structuredClone(base);
  change(draft);
  return draft as Registry;
}

/** The Markdown of the change from `base` to `head`, as lines. */
function summary(base: Registry | undefined, head: Registry): string[] {
  return renderMarkdown(summarizeChanges("HEAD~1", base, head), "config/registry.ts").split("\n");
}

const HEADER = ["# Config changes: `HEAD~1` → working tree", ""];

/** The whole Markdown: the header, then each environment's lines in order, "No changes." for none. */
function bySection(sections: Readonly<Record<string, readonly string[]>>): string[] {
  return [
    ...HEADER,
    ...Object.entries(sections).flatMap(([environment, lines]) => [
      `## ${environment}`,
      "",
      ...(lines.length > 0 ? lines : ["No changes."]),
      "",
    ]),
  ];
}

test("GIVEN a client added to dev THEN dev lists it with tier, scopes, owner and the routes it may call; prod has no changes", () => {
  const head = changed(minimalRegistry, (d) =>
    d.clients.push({
      key: "initech-reports",
      description: "Weekly report",
      owner: "data@initech.example",
      tier: "premium",
      scopes: ["orders/read"],
      environments: ["dev"],
    }),
  );
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [
        "- **added** `initech-reports`: tier `premium`, scopes `orders/read`, owner data@initech.example; may call `GET /whoami`, `GET /orders/{orderId}`",
      ],
      prod: [],
    }),
  );
});

test("GIVEN a client removed THEN every environment it was in flags the destroyed credentials", () => {
  const head = changed(minimalRegistry, (d) => (d.clients = d.clients.filter((c: any) => c.key !== "acme-billing")));
  const removed =
    "- ⚠️ **removed** `acme-billing` (owner partners@acme.example): its client id and secret are destroyed for good";
  expect(summary(minimalRegistry, head)).toEqual([...HEADER, "## dev", "", removed, "", "## prod", "", removed, ""]);
});

test("GIVEN the project renamed and dev's domain prefix changed THEN the pool replacement and new token URL lead each environment", () => {
  const head = changed(minimalRegistry, (d) => {
    d.project = "partners";
    d.environments.dev.cognitoDomainPrefix = "test-partners-dev";
  });
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [
        "- ⚠️ **user pool replaced** (project `m2m` → `partners`): every client (2) gets a new client id and secret",
        "- ⚠️ **token URL changes** for every client: https://test-m2m-dev.auth.eu-west-1.amazoncognito.com/oauth2/token → https://test-partners-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
      ],
      prod: [
        "- ⚠️ **user pool replaced** (project `m2m` → `partners`): every client (1) gets a new client id and secret; this environment is protected, so its plan will refuse",
      ],
    }),
  );
});

test("GIVEN a scope widened for one client and narrowed for another, and secret readers changed THEN the routes each may now call, or no longer, are named", () => {
  const head = changed(minimalRegistry, (d) => {
    d.clients[0].scopes = ["orders/read", "orders/write"];
    d.clients[0].consumerPrincipals = ["111122223333"];
    d.clients[1].scopes = ["orders/read"];
    d.clients[1].consumerPrincipals = [];
  });
  const acme = [
    "- ⚠️ **scopes widened** for `acme-billing`: adds `orders/write`",
    "- ⚠️ `acme-billing` **may now call** `POST /orders`",
    "- ⚠️ **secret readable by more** for `acme-billing`: adds `111122223333`",
  ];
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [
        ...acme,
        "- scopes narrowed for `globex-orders`: drops `orders/write`",
        "- `globex-orders` may no longer call `POST /orders`",
        "- `globex-orders` secret no longer readable by `arn:aws:iam::210987654321:role/globex-orders`",
      ],
      prod: [...acme],
    }),
  );
});

test("GIVEN a scope added that no route needs THEN the summary says it opens no route", () => {
  const head = changed(
    sample,
    (d) => (d.clients.find((c: any) => c.key === "acme-billing").scopes = ["orders/read", "inventory/reserve"]),
  );
  const line = "- ⚠️ **scopes widened** for `acme-billing`: adds `inventory/reserve`, which opens no route";
  expect(summary(sample, head)).toEqual(
    bySection({
      dev: [line],
      staging: [line],
      prod: [line],
    }),
  );
});

test("GIVEN a route removed and another added THEN each client's access changes are named, and the routes", () => {
  const head = changed(minimalRegistry, (d) => {
    d.routes = d.routes.filter((r: any) => r.path !== "/whoami");
    d.routes.push({ method: "GET", path: "/orders", scopes: ["orders/read"], integration: { type: "mock" } });
  });
  const routes = ["- route added `GET /orders` (scopes `orders/read`)", "- route removed `GET /whoami`"];
  const access = (client: string) => [
    `- ⚠️ \`${client}\` **may now call** \`GET /orders\``,
    `- \`${client}\` may no longer call \`GET /whoami\``,
  ];
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [...access("acme-billing"), ...access("globex-orders"), ...routes],
      prod: [...access("acme-billing"), ...routes],
    }),
  );
});

test("GIVEN token validity changed, one from the default THEN both show minutes before and after", () => {
  const head = changed(minimalRegistry, (d) => {
    d.clients[0].accessTokenValidityMinutes = 15;
    d.clients[1].accessTokenValidityMinutes = 45;
  });
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [
        "- `acme-billing` access-token validity 60 → 15 minutes",
        "- `globex-orders` access-token validity 30 → 45 minutes",
      ],
      prod: ["- `acme-billing` access-token validity 60 → 15 minutes"],
    }),
  );
});

test("GIVEN a tier's throttle, quota and route throttle changed THEN each environment counts its clients in the tier", () => {
  const head = changed(minimalRegistry, (d) => {
    d.tiers.premium.throttle = { rateLimit: 60, burstLimit: 100 };
    d.tiers.premium.quota = { limit: 200_000, period: "MONTH" };
    delete d.tiers.premium.routeThrottles;
    d.clients.push({ ...d.clients[1], key: "hooli-orders", environments: ["dev"] });
  });
  const limits = (clients: number) =>
    `- tier \`premium\` limits changed: throttle 50/s, burst 100 → 60/s, burst 100; quota 100,000 per MONTH → 200,000 per MONTH; POST /orders throttle 10/s, burst 20 → none (touches ${clients} clients)`;
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [
        "- **added** `hooli-orders`: tier `premium`, scopes `orders/read`, `orders/write`, owner team-partners; secret readable by `arn:aws:iam::210987654321:role/globex-orders`; may call `GET /whoami`, `GET /orders/{orderId}`, `POST /orders`",
        limits(2),
      ],
      prod: [limits(0)],
    }),
  );
});

test("GIVEN an environment removed THEN it is flagged with every client in it", () => {
  const head = changed(minimalRegistry, (d) => {
    delete d.environments.prod;
    for (const route of d.routes) if (route.integration.type === "http-proxy") delete route.integration.url.prod;
    d.clients[0].environments = ["dev"];
  });
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [],
      prod: [
        "- ⚠️ **environment removed**: its user pool, API and 1 client are destroyed, and their credentials with them",
        "- ⚠️ **removed** `acme-billing` (owner partners@acme.example): its client id and secret are destroyed for good",
      ],
    }),
  );
});

test("GIVEN no registry at the base THEN everything is new", () => {
  const head = changed(minimalRegistry, (d) => {
    delete d.environments.prod;
    d.clients = [d.clients[0]];
    d.clients[0].environments = ["dev"];
    d.routes = d.routes.filter((r: any) => r.integration.type !== "http-proxy" && r.path !== "/whoami");
    d.clients[0].scopes = ["orders/write"];
    delete d.tiers.premium;
  });
  expect(summary(undefined, head)).toEqual([
    ...HEADER,
    "`config/registry.ts` does not exist at `HEAD~1`: everything is new.",
    "",
    "## dev",
    "",
    "- **new environment**: everything in it is created",
    "- **added** `acme-billing`: tier `basic`, scopes `orders/write`, owner partners@acme.example; may call `POST /orders`",
    "- tier `basic` added (1 client)",
    "- route added `POST /orders` (scopes `orders/write`)",
    "",
  ]);
});

test("GIVEN only a description changed THEN every environment says No changes", () => {
  const head = changed(minimalRegistry, (d) => (d.clients[0].description = "ACME reconciles orders every hour"));
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [],
      prod: [],
    }),
  );
});

test("GIVEN dev spread over three client shards THEN dev says how many clients change state, and that the moves file must come along", () => {
  const head = changed(minimalRegistry, (d) => (d.environments.dev.clientShards = 3));
  expect(summary(minimalRegistry, head)).toEqual(
    bySection({
      dev: [
        "- **client shards** 1 → 3: 2 clients move to another stack's state by import, nothing replaced; `npm run reshard -- --env dev` writes the moves this pull request must carry",
      ],
      prod: [],
    }),
  );
});
