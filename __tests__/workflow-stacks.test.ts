/**
 * `.github/stacks.sh`, which turns a synth's manifest into the deploy's job matrices: every stack, and
 * per environment in deploy order its platform stack and its client shards. Run with bash and jq, as
 * the workflows run it, on the synth of a fixture with a sharded environment.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../stacks/synthesize";
import type { Registry } from "../config/schema";
import registry from "./fixtures/sample-registry";

const SCRIPT = join(__dirname, "..", ".github", "stacks.sh");

/** The sample registry with dev in 12 client shards (two digits: shard 10 sorts after shard 9). */
const sharded = {
  ...registry,
  environments: { ...registry.environments, dev: { ...registry.environments.dev, clientShards: 12 } },
};

/** Synthesizes a registry into a scratch folder and returns it. */
function synthInto(processEnv: NodeJS.ProcessEnv, source: Registry = sharded): string {
  const outdir = mkdtempSync(join(tmpdir(), "m2m-stacks-sh-"));
  buildApp(source, { outdir, processEnv }).app.synth();
  return outdir;
}

/** stacks.sh's exit code, stdout lines and stderr lines. */
function stacksSh(...args: string[]) {
  const result = spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8" });
  if (result.error) throw result.error;
  const lines = (text: string) => text.split("\n").filter((line) => line !== "");
  return { status: result.status, stdout: lines(result.stdout), stderr: lines(result.stderr) };
}

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe("with Terraform Cloud workspaces", () => {
  const outdir = synthInto({ TF_CLOUD_ORGANIZATION: "acme" });
  folders.push(outdir);
  const shards = Array.from({ length: 12 }, (_, i) => `"dev-clients-${i}"`).join(",");

  test("lists every stack, the platform stacks first and shards in number order", () => {
    expect(stacksSh(outdir)).toEqual({
      status: 0,
      stdout: [`all=["dev","prod","staging",${shards}]`],
      stderr: [],
    });
  });

  test("gives each environment of the deploy order its platform stack and its shards", () => {
    expect(stacksSh(outdir, "dev staging prod")).toEqual({
      status: 0,
      stdout: [
        `all=["dev","prod","staging",${shards}]`,
        'dev-platform=["dev"]',
        `dev-shards=[${shards}]`,
        'staging-platform=["staging"]',
        "staging-shards=[]",
        'prod-platform=["prod"]',
        "prod-shards=[]",
      ],
      stderr: [],
    });
  });

  test("refuses a registry whose environments differ from the deploy order, naming both", () => {
    expect(stacksSh(outdir, "dev prod")).toEqual({
      status: 1,
      stdout: [`all=["dev","prod","staging",${shards}]`],
      stderr: [
        "::error title=Environments and deploy order differ::the registry has dev prod staging, deploy.yml deploys dev prod: add the deploy job of a new environment (and its GitHub environment), or remove the one of a removed environment",
      ],
    });
  });
});

test("refuses stacks that would keep their state on the runner, one line each", () => {
  const local = synthInto({}, registry);
  folders.push(local);
  const result = stacksSh(local, "dev staging prod");
  expect(result.status).toBe(1);
  expect(result.stderr).toEqual(
    ["dev", "prod", "staging"].map(
      (stack) =>
        `::error title=No Terraform Cloud workspace for ${stack}::its state would be written to a throw-away runner: set the TF_CLOUD_ORGANIZATION variable (repository or environment) or terraformCloud in config/platform/environments.ts`,
    ),
  );
});

test("says to synthesize first when there is no manifest", () => {
  const empty = mkdtempSync(join(tmpdir(), "m2m-stacks-sh-"));
  folders.push(empty);
  expect(stacksSh(empty)).toEqual({
    status: 1,
    stdout: [],
    stderr: [`::error title=No synth::${empty}/manifest.json is missing: run npm run synth first`],
  });
});
