/**
 * `npm run codeowners`: `.github/CODEOWNERS` from the registry's teams, each team's folder owned by its
 * reviewers and everything else by the platform team; `--check` fails on a stale file and names the
 * command to run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeownersCommand } from "../scripts/codeowners";
import { captureCommand } from "./support/cli-output";

const FILE_REGISTRY = join(__dirname, "fixtures", "file-registry", "registry.ts");
const SINGLE_MODULE = join(__dirname, "fixtures", "minimal-registry.ts");

let cwd: string;
beforeEach(() => (cwd = mkdtempSync(join(tmpdir(), "m2m-codeowners-"))));
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

function codeowners(config: string, ...argv: string[]) {
  return captureCommand((output) => codeownersCommand(argv, output, cwd), { config });
}

const EXPECTED = [
  "# Written by `npm run codeowners` from the registry's teams; do not edit by hand: CI fails when it is stale.",
  "# The last matching pattern wins: the platform team owns everything, each team its own client folder.",
  "",
  "*                                                   @example-org/platform",
  "",
  "# billing: Billing integrations",
  "/__tests__/fixtures/file-registry/clients/billing/  @example-org/billing",
  "",
  "# shops",
  "/__tests__/fixtures/file-registry/clients/shops/    @example-org/shops shops-lead@example.com",
  "",
];

test("writes each team's folder owned by its reviewers, after the platform team's catch-all", async () => {
  expect(await codeowners(FILE_REGISTRY)).toEqual({ code: 0, out: ["wrote .github/CODEOWNERS"], err: [] });
  expect(readFileSync(join(cwd, ".github", "CODEOWNERS"), "utf8").split("\n")).toEqual(EXPECTED);
  expect(await codeowners(FILE_REGISTRY)).toEqual({ code: 0, out: ["unchanged .github/CODEOWNERS"], err: [] });
});

test("--check passes on the written file, and fails on a stale or missing one, naming the command", async () => {
  expect(await codeowners(FILE_REGISTRY, "--check")).toEqual({
    code: 1,
    out: [],
    err: ["error: .github/CODEOWNERS is missing: run npm run codeowners and commit the result"],
  });
  await codeowners(FILE_REGISTRY);
  expect(await codeowners(FILE_REGISTRY, "--check")).toEqual({
    code: 0,
    out: [".github/CODEOWNERS is current"],
    err: [],
  });
  mkdirSync(join(cwd, ".github"), { recursive: true });
  writeFileSync(join(cwd, ".github", "CODEOWNERS"), "* @someone-else\n");
  expect(await codeowners(FILE_REGISTRY, "--check")).toEqual({
    code: 1,
    out: [],
    err: ["error: .github/CODEOWNERS is stale: run npm run codeowners and commit the result"],
  });
});

test("refuses a registry without teams in one line", async () => {
  expect(await codeowners(SINGLE_MODULE)).toEqual({
    code: 2,
    out: [],
    err: [`error: ${SINGLE_MODULE} declares no teams: CODEOWNERS comes from the teams of config/platform/teams.ts`],
  });
});

test("--help prints the usage and exits 0", async () => {
  expect(await codeowners(FILE_REGISTRY, "--help")).toEqual({
    code: 0,
    out: ["usage: npm run codeowners [-- --check]"],
    err: [],
  });
});
