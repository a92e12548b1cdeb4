/**
 * `npm run changes`: each test builds a real git repository in a temporary folder (the project's
 * `config/` folder plus a registry per commit), runs `scripts/changes.ts` in it as a child process,
 * and asserts the exact Markdown it prints.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import defaultRegistry from "../config/registry";
import { minimalRegistry } from "./fixtures/minimal-registry";

const PROJECT = resolve(__dirname, "..");
const SCRIPT = join(PROJECT, "scripts", "changes.ts");
// The temporary repositories have no node_modules: run the project's own tsx, never `npx` there.
const TSX = join(PROJECT, "node_modules", ".bin", "tsx");
const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "m2m-changes-"));
  git("init", "-q", "-b", "main");
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function git(...args: string[]): string {
  const result = spawnSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, ...GIT_IDENTITY } });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

/** A registry module as a pull request would write it: `defineRegistry` from the schema beside it. */
function writeRegistry(registry: unknown, file = "config/registry.ts"): void {
  cpSync(join(PROJECT, "config"), join(repo, "config"), { recursive: true });
  cpSync(join(PROJECT, "model"), join(repo, "model"), { recursive: true });
  writeFileSync(
    join(repo, file),
    `import { defineRegistry } from "./schema";\n\nexport default defineRegistry(${JSON.stringify(registry, null, 2)} as any);\n`,
  );
}

function commit(message: string): void {
  git("add", "-A");
  git("commit", "-q", "-m", message);
}

/** The fixture, deep-copied and changed by `change`. */
function fixtureWith(change: (draft: any) => void): unknown {
  const draft: any = structuredClone(minimalRegistry);
  change(draft);
  return draft;
}

function runChanges(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env.M2M_CONFIG === undefined) delete childEnv.M2M_CONFIG;
  const result = spawnSync(TSX, [SCRIPT, ...args], { cwd: repo, encoding: "utf8", env: childEnv, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Commits the fixture, then `change` of it, and summarises HEAD~1 → working tree. */
function changesAfter(change: (draft: any) => void): { status: number | null; stdout: string; stderr: string } {
  writeRegistry(minimalRegistry);
  commit("base registry");
  writeRegistry(fixtureWith(change));
  commit("the change");
  return runChanges(["--base", "HEAD~1"]);
}

const markdown = (...lines: string[]) => `${lines.join("\n")}\n`;

test("GIVEN a client added to dev WHEN summarised THEN dev lists it with tier, scopes and owner, prod has no changes", () => {
  const run = changesAfter((d) =>
    d.clients.push({
      key: "initech-reports",
      description: "Weekly report",
      owner: "data@initech.example",
      tier: "premium",
      scopes: ["orders/read"],
      environments: ["dev"],
    }),
  );
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "- **added** `initech-reports`: tier `premium`, scopes `orders/read`, owner data@initech.example",
      "",
      "## prod",
      "",
      "No changes.",
    ),
  );
});

test("GIVEN a client removed WHEN summarised THEN every environment it was in flags the destroyed credentials", () => {
  const run = changesAfter((d) => (d.clients = d.clients.filter((c: any) => c.key !== "acme-billing")));
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "- ⚠️ **removed** `acme-billing` (owner partners@acme.example): its client id and secret are destroyed for good",
      "",
      "## prod",
      "",
      "- ⚠️ **removed** `acme-billing` (owner partners@acme.example): its client id and secret are destroyed for good",
    ),
  );
});

test("GIVEN the project renamed and dev's domain prefix changed WHEN summarised THEN the pool replacement and new token URL lead each environment", () => {
  const run = changesAfter((d) => {
    d.project = "partners";
    d.environments.dev.cognitoDomainPrefix = "test-partners-dev";
  });
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "- ⚠️ **user pool replaced** (project `m2m` → `partners`): every client (2) gets a new client id and secret",
      "- ⚠️ **token URL changes** for every client: https://test-m2m-dev.auth.eu-west-1.amazoncognito.com/oauth2/token → https://test-partners-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
      "",
      "## prod",
      "",
      "- ⚠️ **user pool replaced** (project `m2m` → `partners`): every client (1) gets a new client id and secret; this environment is protected, so its plan will refuse",
    ),
  );
});

test("GIVEN a client moved to another tier WHEN summarised THEN each of its environments says from and to", () => {
  const run = changesAfter((d) => (d.clients[0].tier = "premium"));
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "- `acme-billing` moved from tier `basic` to `premium`",
      "",
      "## prod",
      "",
      "- `acme-billing` moved from tier `basic` to `premium`",
    ),
  );
});

test("GIVEN a scope widened for one client and narrowed for another, and secret readers changed WHEN summarised THEN widening is flagged", () => {
  const run = changesAfter((d) => {
    d.clients[0].scopes = ["orders/read", "orders/write"];
    d.clients[0].consumerPrincipals = ["111122223333"];
    d.clients[1].scopes = ["orders/read"];
    d.clients[1].consumerPrincipals = [];
  });
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "- ⚠️ **scopes widened** for `acme-billing`: adds `orders/write`",
      "- ⚠️ **secret readable by more** for `acme-billing`: adds `111122223333`",
      "- scopes narrowed for `globex-orders`: drops `orders/write`",
      "- `globex-orders` secret no longer readable by `arn:aws:iam::210987654321:role/globex-orders`",
      "",
      "## prod",
      "",
      "- ⚠️ **scopes widened** for `acme-billing`: adds `orders/write`",
      "- ⚠️ **secret readable by more** for `acme-billing`: adds `111122223333`",
    ),
  );
});

test("GIVEN token validity changed, one from the default WHEN summarised THEN both show minutes before and after", () => {
  const run = changesAfter((d) => {
    d.clients[0].accessTokenValidityMinutes = 15;
    d.clients[1].accessTokenValidityMinutes = 45;
  });
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "- `acme-billing` access-token validity 60 → 15 minutes",
      "- `globex-orders` access-token validity 30 → 45 minutes",
      "",
      "## prod",
      "",
      "- `acme-billing` access-token validity 60 → 15 minutes",
    ),
  );
});

test("GIVEN a tier's throttle, quota and route throttle changed WHEN summarised THEN each environment counts its clients in the tier", () => {
  const run = changesAfter((d) => {
    d.tiers.premium.throttle = { rateLimit: 60, burstLimit: 100 };
    d.tiers.premium.quota = { limit: 200_000, period: "MONTH" };
    delete d.tiers.premium.routeThrottles;
    d.clients.push({ ...d.clients[1], key: "hooli-orders", environments: ["dev"] });
  });
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "- **added** `hooli-orders`: tier `premium`, scopes `orders/read`, `orders/write`, owner team-partners; secret readable by `arn:aws:iam::210987654321:role/globex-orders`",
      "- tier `premium` limits changed: throttle 50/s, burst 100 → 60/s, burst 100; quota 100,000 per MONTH → 200,000 per MONTH; POST /orders throttle 10/s, burst 20 → none (touches 2 clients)",
      "",
      "## prod",
      "",
      "- tier `premium` limits changed: throttle 50/s, burst 100 → 60/s, burst 100; quota 100,000 per MONTH → 200,000 per MONTH; POST /orders throttle 10/s, burst 20 → none (touches 0 clients)",
    ),
  );
});

test("GIVEN an environment removed WHEN summarised THEN it is flagged with every client in it", () => {
  const run = changesAfter((d) => {
    delete d.environments.prod;
    for (const route of d.routes) if (route.integration.type === "http-proxy") delete route.integration.url.prod;
    d.clients[0].environments = ["dev"];
  });
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "No changes.",
      "",
      "## prod",
      "",
      "- ⚠️ **environment removed**: its user pool, API and 1 client are destroyed, and their credentials with them",
      "- ⚠️ **removed** `acme-billing` (owner partners@acme.example): its client id and secret are destroyed for good",
    ),
  );
});

test("GIVEN a route added and another removed WHEN summarised THEN every environment lists both", () => {
  const run = changesAfter((d) => {
    d.routes = d.routes.filter((r: any) => r.path !== "/whoami");
    d.routes.push({ method: "GET", path: "/orders", scopes: ["orders/read"], integration: { type: "mock" } });
  });
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "- route added `GET /orders` (scopes `orders/read`)",
      "- route removed `GET /whoami`",
      "",
      "## prod",
      "",
      "- route added `GET /orders` (scopes `orders/read`)",
      "- route removed `GET /whoami`",
    ),
  );
});

test("GIVEN only a description changed WHEN summarised THEN every environment says No changes", () => {
  const run = changesAfter((d) => (d.clients[0].description = "ACME reconciles orders every hour"));
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "## dev",
      "",
      "No changes.",
      "",
      "## prod",
      "",
      "No changes.",
    ),
  );
});

test("GIVEN the default registry with a client added, one moved to another tier and a scope widened WHEN summarised THEN the summary reads as a reviewer needs it", () => {
  cpSync(join(PROJECT, "config"), join(repo, "config"), { recursive: true });
  cpSync(join(PROJECT, "model"), join(repo, "model"), { recursive: true });
  writeFileSync(join(repo, "config", "registry.ts"), readFileSync(join(PROJECT, "config", "registry.ts")));
  commit("default registry");
  const changed: any = structuredClone(defaultRegistry);
  changed.clients.push({
    key: "hooli-analytics",
    description: "Hooli reads orders for its dashboards",
    owner: "api@hooli.example",
    tier: "bronze",
    scopes: ["orders/read"],
    environments: ["dev", "staging"],
  });
  changed.clients.find((c: any) => c.key === "acme-billing").tier = "gold";
  changed.clients.find((c: any) => c.key === "initech-reports").scopes = ["inventory/read", "orders/read"];
  writeRegistry(changed);

  const run = runChanges(["--base", "HEAD"]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD` → working tree",
      "",
      "## dev",
      "",
      "- **added** `hooli-analytics`: tier `bronze`, scopes `orders/read`, owner api@hooli.example",
      "- `acme-billing` moved from tier `silver` to `gold`",
      "- ⚠️ **scopes widened** for `initech-reports`: adds `orders/read`",
      "",
      "## staging",
      "",
      "- **added** `hooli-analytics`: tier `bronze`, scopes `orders/read`, owner api@hooli.example",
      "- `acme-billing` moved from tier `silver` to `gold`",
      "",
      "## prod",
      "",
      "- `acme-billing` moved from tier `silver` to `gold`",
      "- ⚠️ **scopes widened** for `initech-reports`: adds `orders/read`",
    ),
  );
});

test("GIVEN a base commit without the registry WHEN summarised THEN everything is added", () => {
  writeFileSync(join(repo, "README.md"), "# partners\n");
  commit("empty project");
  writeRegistry(
    fixtureWith((d) => {
      delete d.environments.prod;
      d.clients = [d.clients[0]];
      d.clients[0].environments = ["dev"];
      d.routes = d.routes.filter((r: any) => r.integration.type !== "http-proxy" && r.path !== "/whoami");
      d.clients[0].scopes = ["orders/write"];
      delete d.tiers.premium;
    }),
  );
  commit("first registry");
  const run = runChanges(["--base", "HEAD~1"]);
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD~1` → working tree",
      "",
      "`config/registry.ts` does not exist at `HEAD~1`: everything is new.",
      "",
      "## dev",
      "",
      "- **new environment**: everything in it is created",
      "- **added** `acme-billing`: tier `basic`, scopes `orders/write`, owner partners@acme.example",
      "- tier `basic` added (1 client)",
      "- route added `POST /orders` (scopes `orders/write`)",
    ),
  );
});

test("GIVEN M2M_CONFIG naming another module in the repository WHEN summarised THEN both sides use it", () => {
  writeRegistry(minimalRegistry, "config/partners.ts");
  commit("partners registry");
  writeRegistry(
    fixtureWith((d) => (d.clients[1].environments = ["dev", "prod"])),
    "config/partners.ts",
  );
  const run = runChanges(["--base", "HEAD"], { M2M_CONFIG: "config/partners.ts" });
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe(
    markdown(
      "# Config changes: `HEAD` → working tree",
      "",
      "## dev",
      "",
      "No changes.",
      "",
      "## prod",
      "",
      "- **added** `globex-orders`: tier `premium`, scopes `orders/read`, `orders/write`, owner team-partners; secret readable by `arn:aws:iam::210987654321:role/globex-orders`",
    ),
  );
});

test("GIVEN --json WHEN summarised THEN the same changes come as data", () => {
  const run = (() => {
    writeRegistry(minimalRegistry);
    commit("base registry");
    writeRegistry(fixtureWith((d) => (d.clients[0].tier = "premium")));
    return runChanges(["--base", "HEAD", "--json"]);
  })();
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({
    base: "HEAD",
    baseMissing: false,
    environments: [
      { environment: "dev", changes: [{ kind: "tier-moved", client: "acme-billing", from: "basic", to: "premium" }] },
      { environment: "prod", changes: [{ kind: "tier-moved", client: "acme-billing", from: "basic", to: "premium" }] },
    ],
  });
});

test("GIVEN a working tree whose registry does not validate WHEN summarised THEN it prints the problems and exits 1", () => {
  const run = changesAfter((d) => {
    d.clients[0].tier = "platinum";
    d.clients[1].accessTokenValidityMinutes = 2;
  });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr.trimEnd().split("\n")).toEqual([
    'working tree: config/registry.ts: error: clients["acme-billing"].tier: must be one of "basic", "premium"; got "platinum"',
    `working tree: config/registry.ts: error: clients["globex-orders"].accessTokenValidityMinutes: must be a whole number from 5 to 1440 (Cognito's 5 minutes to 1 day); got 2`,
  ]);
});

test("GIVEN a base commit whose registry does not validate WHEN summarised THEN it names the base and exits 1", () => {
  writeRegistry(fixtureWith((d) => (d.clients[0].scopes = ["orders/delete"])));
  commit("broken registry");
  writeRegistry(minimalRegistry);
  const run = runChanges(["--base", "HEAD"]);
  expect(run.status).toBe(1);
  expect(run.stderr.trimEnd().split("\n")).toEqual([
    'base HEAD: config/registry.ts: error: clients["acme-billing"].scopes[0]: must be one of "orders/read", "orders/write"; got "orders/delete"',
  ]);
});

test("GIVEN a --base that names no commit WHEN run THEN one line and exit 2", () => {
  writeRegistry(minimalRegistry);
  commit("base registry");
  const run = runChanges(["--base", "no-such-branch"]);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toBe(
    `error: --base "no-such-branch" is not a commit in ${git("rev-parse", "--show-toplevel").trim()}\n`,
  );
});

test("GIVEN no --base WHEN run THEN one usage line and exit 2", () => {
  const run = runChanges([]);
  expect(run.status).toBe(2);
  expect(run.stderr).toBe(
    "error: --base <git-ref> is required (usage: npm run changes -- --base <git-ref> [--json])\n",
  );
});
