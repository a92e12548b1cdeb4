/**
 * `npm run changes` as CI runs it: a child process in a real git repository (the project's code in
 * `config/` and `model/`, and a registry per commit, as one module or as one file per client), with
 * the exact output. What each kind of change reads like is `__tests__/change-summary.test.ts`.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { minimalRegistry } from "./fixtures/minimal-registry";
import { createScratchRepo, type ScratchRepo } from "./support/scratch-repo";

const FIXTURE_PLATFORM = join(__dirname, "fixtures", "file-registry", "platform");
const USAGE = "npm run changes -- --base <git-ref> [--json]";

let scratch: ScratchRepo;
let repo: string;
beforeEach(() => {
  scratch = createScratchRepo("m2m-changes-");
  repo = scratch.dir;
});
afterEach(() => scratch.remove());

const git = (...args: string[]) => scratch.git(...args);
const write = (path: string, text: string) => scratch.write(path, text);
const commit = (message: string) => scratch.commit(message);

/** A single-module registry, as a pull request would write one. */
function writeModule(registry: unknown, file = "config/registry.ts"): void {
  write(
    file,
    `import { defineRegistry } from "./schema";\n\nexport default defineRegistry(${JSON.stringify(registry, null, 2)} as any);\n`,
  );
}

/** The file layout: the fixture's platform, and `clients` as `<team>/<key>.ts` files. */
function writeFileLayout(clients: Readonly<Record<string, unknown>>): void {
  rmSync(join(repo, "config", "clients"), { recursive: true, force: true });
  write("config/platform/index.ts", `export { platform, defineClient } from ${JSON.stringify(FIXTURE_PLATFORM)};\n`);
  write(
    "config/registry.ts",
    `import { join } from "node:path";
import { registryFromClientFiles } from "./client-files";
import { platform } from "./platform";

export default registryFromClientFiles(platform.settings, join(__dirname, "clients"), join(__dirname, ".."));
`,
  );
  for (const [path, client] of Object.entries(clients)) {
    write(
      `config/clients/${path}`,
      `import { defineClient } from "../../platform";\n\nexport default defineClient(${JSON.stringify(client, null, 2)} as any);\n`,
    );
  }
}

function runChanges(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = scratch.runScript("changes.ts", args, env);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const [acme, globex] = minimalRegistry.clients;
const hooli = {
  ...globex,
  key: "hooli-orders",
  description: "Hooli orders for its stores",
  owner: "api@hooli.example",
};

test("GIVEN a single-module registry at the base and the file layout in the working tree WHEN summarised THEN only the client added as a file shows", () => {
  writeModule(minimalRegistry);
  commit("one module");
  writeFileLayout({
    "billing/acme-billing.ts": acme,
    "shops/globex-orders.ts": globex,
    "shops/hooli-orders.ts": hooli,
  });
  const run = runChanges(["--base", "HEAD"]);
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  expect(run.stdout.split("\n")).toEqual([
    "# Config changes: `HEAD` → working tree",
    "",
    "## dev",
    "",
    "- **added** `hooli-orders`: tier `premium`, scopes `orders/read`, `orders/write`, owner api@hooli.example; secret readable by `arn:aws:iam::210987654321:role/globex-orders`; may call `GET /whoami`, `GET /orders/{orderId}`, `POST /orders`",
    "",
    "## prod",
    "",
    "No changes.",
    "",
  ]);
});

test("GIVEN the file layout on both sides, one client moved to another team's folder and one re-scoped WHEN summarised THEN the move changes nothing and the new access is named", () => {
  writeFileLayout({ "billing/acme-billing.ts": acme, "shops/globex-orders.ts": globex });
  commit("files");
  writeFileLayout({
    "shops/acme-billing.ts": { ...acme, scopes: ["orders/read", "orders/write"] },
    "shops/globex-orders.ts": globex,
  });
  const run = runChanges(["--base", "HEAD"]);
  expect(run.stderr).toBe("");
  const access = [
    "- ⚠️ **scopes widened** for `acme-billing`: adds `orders/write`",
    "- ⚠️ `acme-billing` **may now call** `POST /orders`",
  ];
  expect(run.stdout.split("\n")).toEqual([
    "# Config changes: `HEAD` → working tree",
    "",
    "## dev",
    "",
    ...access,
    "",
    "## prod",
    "",
    ...access,
    "",
  ]);
});

test("GIVEN M2M_CONFIG naming another module in the repository WHEN summarised THEN both sides use it", () => {
  writeModule(minimalRegistry, "config/partners.ts");
  commit("partners registry");
  writeModule(
    { ...minimalRegistry, clients: [acme, { ...globex, environments: ["dev", "prod"] }] },
    "config/partners.ts",
  );
  const run = runChanges(["--base", "HEAD"], { M2M_CONFIG: "config/partners.ts" });
  expect(run.stderr).toBe("");
  expect(run.stdout.split("\n").slice(6, 9)).toEqual([
    "## prod",
    "",
    "- **added** `globex-orders`: tier `premium`, scopes `orders/read`, `orders/write`, owner team-partners; secret readable by `arn:aws:iam::210987654321:role/globex-orders`; may call `GET /whoami`, `GET /orders/{orderId}`, `POST /orders`",
  ]);
});

test("GIVEN --json WHEN summarised THEN the same changes come as data", () => {
  writeModule(minimalRegistry);
  commit("base registry");
  writeModule({ ...minimalRegistry, clients: [{ ...acme, tier: "premium" }, globex] });
  const run = runChanges(["--base", "HEAD", "--json"]);
  expect(run.status).toBe(0);
  const moved = { kind: "tier-moved", client: "acme-billing", from: "basic", to: "premium" };
  expect(JSON.parse(run.stdout)).toEqual({
    base: "HEAD",
    baseMissing: false,
    environments: [
      { environment: "dev", changes: [moved] },
      { environment: "prod", changes: [moved] },
    ],
  });
});

test("GIVEN a client file in the working tree that does not validate WHEN summarised THEN it prints the problems and exits 1", () => {
  writeFileLayout({ "billing/acme-billing.ts": acme, "shops/globex-orders.ts": globex });
  commit("files");
  writeFileLayout({
    "billing/acme-billing.ts": { ...acme, tier: "platinum" },
    "shops/globex-orders.ts": { ...globex, accessTokenValidityMinutes: 2 },
  });
  const run = runChanges(["--base", "HEAD"]);
  expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: "" });
  expect(run.stderr.trimEnd().split("\n")).toEqual([
    'working tree: config/registry.ts: error: clients["acme-billing"].tier: must be one of "basic", "premium"; got "platinum"',
    `working tree: config/registry.ts: error: clients["globex-orders"].accessTokenValidityMinutes: must be a whole number from 5 to 1440 (Cognito's 5 minutes to 1 day); got 2`,
  ]);
});

test("GIVEN a base commit whose registry does not validate WHEN summarised THEN it names the base and exits 1", () => {
  writeModule({ ...minimalRegistry, clients: [{ ...acme, scopes: ["orders/delete"] }, globex] });
  commit("broken registry");
  writeModule(minimalRegistry);
  const run = runChanges(["--base", "HEAD"]);
  expect(run.status).toBe(1);
  expect(run.stderr.trimEnd().split("\n")).toEqual([
    'base HEAD: config/registry.ts: error: clients["acme-billing"].scopes[0]: must be one of "orders/read", "orders/write"; got "orders/delete"',
  ]);
});

test("GIVEN a --base that names no commit WHEN run THEN one line and exit 2", () => {
  writeModule(minimalRegistry);
  commit("base registry");
  const run = runChanges(["--base", "no-such-branch"]);
  expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 2, stdout: "" });
  expect(run.stderr).toBe(
    `error: --base "no-such-branch" is not a commit in ${git("rev-parse", "--show-toplevel").trim()}\n`,
  );
});

test("GIVEN no --base WHEN run THEN one usage line and exit 2", () => {
  const run = runChanges([]);
  expect({ status: run.status, stderr: run.stderr }).toEqual({
    status: 2,
    stderr: `error: --base <git-ref> is required (usage: ${USAGE})\n`,
  });
});

test("GIVEN --help WHEN run THEN the usage and exit 0", () => {
  expect(runChanges(["--help"])).toEqual({ status: 0, stdout: `usage: ${USAGE}\n`, stderr: "" });
});
