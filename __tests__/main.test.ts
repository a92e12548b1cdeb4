/**
 * `npm run synth` as a user runs it: a child process of `tsx main.ts`, writing into CDKTF_OUTDIR.
 * A registry with mistakes prints one line per problem, exits 1 and writes nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { withoutTerraformCloud } from "./support/emulator";

jest.setTimeout(120_000);

const repo = resolve(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "m2m-main-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const MINIMAL = "__tests__/fixtures/minimal-registry.ts";

/** The lines synth prints for the minimal fixture's two stacks, one each. */
function stackLines(stdout: string): string[] {
  return stdout.split("\n").slice(0, 2);
}

function synth(env: NodeJS.ProcessEnv) {
  const outdir = mkdtempSync(join(work, "out-"));
  rmSync(outdir, { recursive: true });
  const result = spawnSync(
    process.execPath,
    [join(repo, "node_modules", "tsx", "dist", "cli.mjs"), join(repo, "main.ts")],
    {
      cwd: repo,
      env: { ...withoutTerraformCloud(process.env), CDKTF_OUTDIR: outdir, ...env },
      encoding: "utf8",
    },
  );
  return { ...result, outdir };
}

// The one test that reads the real registry (config/): it is the users' data, so this asserts that it
// validates and synthesizes, and nothing about its names or counts.
test("GIVEN the registry npm run synth deploys THEN it validates with no error and synth writes one cdk.tf.json per environment", () => {
  const result = synth({ M2M_CONFIG: "" });
  const errors = result.stderr.split("\n").filter((line) => line.length > 0 && !line.startsWith("warning: "));
  expect({ status: result.status, errors }).toEqual({ status: 0, errors: [] });
  const stacks = readdirSync(join(result.outdir, "stacks"));
  expect(stacks.length).toBeGreaterThan(0);
  for (const env of stacks) {
    expect({ env, files: readdirSync(join(result.outdir, "stacks", env)).sort() }).toEqual({
      env,
      files: ["assets", "cdk.tf.json"],
    });
  }
});

test("GIVEN a CDKTF_OUTDIR whose parent folders do not exist THEN synth creates them and writes the stacks there", () => {
  const nested = join(mkdtempSync(join(work, "nested-")), "out", "new");
  const result = synth({ M2M_CONFIG: MINIMAL, CDKTF_OUTDIR: nested });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  expect(readdirSync(join(nested, "stacks")).sort()).toEqual(["dev", "prod"]);
});

test("GIVEN M2M_CONFIG names another registry module THEN synth deploys that one and says where each stack keeps its state", () => {
  const result = synth({ M2M_CONFIG: MINIMAL });
  expect(result.status).toBe(0);
  expect(readdirSync(join(result.outdir, "stacks")).sort()).toEqual(["dev", "prod"]);
  expect(stackLines(result.stdout)).toEqual([
    "synthesized dev: 2 client(s), local state terraform-state/dev.tfstate",
    "synthesized prod: 1 client(s), local state terraform-state/prod.tfstate",
  ]);
  expect(result.stdout.split("\n").slice(2)).toEqual([
    expect.stringMatching(/^done in \d+\.\d\d s from __tests__\/fixtures\/minimal-registry\.ts$/),
    "",
  ]);
});

test("GIVEN TF_CLOUD_ORGANIZATION and TF_CLOUD_PROJECT THEN every stack goes to a workspace of that project, and synth says so", () => {
  const result = synth({ M2M_CONFIG: MINIMAL, TF_CLOUD_ORGANIZATION: "acme", TF_CLOUD_PROJECT: "Machine Access" });
  expect(stackLines(result.stdout)).toEqual([
    'synthesized dev: 2 client(s), Terraform Cloud app.terraform.io/acme/m2m-dev (project "Machine Access")',
    'synthesized prod: 1 client(s), Terraform Cloud app.terraform.io/acme/m2m-prod (project "Machine Access")',
  ]);
});

test("GIVEN TF_CLOUD_ORGANIZATION and TFC_ORGANIZATION that disagree THEN synth says so in one line, exits 1 and writes nothing", () => {
  const result = synth({ M2M_CONFIG: MINIMAL, TF_CLOUD_ORGANIZATION: "acme", TFC_ORGANIZATION: "globex" });
  expect({ status: result.status, stdout: result.stdout, written: existsSync(result.outdir) }).toEqual({
    status: 1,
    stdout: "",
    written: false,
  });
  expect(result.stderr.split("\n")).toEqual([
    'error: environment.TF_CLOUD_ORGANIZATION: must agree with TFC_ORGANIZATION when both are set (they name one setting); got "acme" and TFC_ORGANIZATION="globex"',
    "__tests__/fixtures/minimal-registry.ts: 1 error(s); nothing was synthesized.",
    "",
  ]);
});

test("GIVEN a registry with three mistakes THEN synth prints all three, one line each, exits 1 and writes nothing", () => {
  const module = join(work, "broken-registry.ts");
  writeFileSync(
    module,
    `import { minimalRegistry } from ${JSON.stringify(join(repo, "__tests__/fixtures/minimal-registry"))};
const [acme, globex] = minimalRegistry.clients;
export default {
  ...minimalRegistry,
  clients: [
    { ...acme, accessTokenValidityMinutes: 2 },
    { ...globex, key: "acme-billing" },
    { ...globex, key: "Globex", environments: [] },
  ],
};
`,
  );
  const result = synth({ M2M_CONFIG: module });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr.split("\n")).toEqual([
    `error: clients["acme-billing"].accessTokenValidityMinutes: must be a whole number from 5 to 1440 (Cognito's 5 minutes to 1 day); got 2`,
    `error: clients[1] ("acme-billing").key: must be unique, but clients[0] has the same key; got "acme-billing"`,
    `error: clients[2] ("Globex").key: must be lower-case letters and digits in dash-separated words, starting with a letter; got "Globex"`,
    `error: clients[2] ("Globex").environments: must list at least one environment (a client with no environment is deployed nowhere); got []`,
    `${module}: 4 error(s); nothing was synthesized.`,
    "",
  ]);
  expect(existsSync(result.outdir)).toBe(false);
});

test("GIVEN M2M_CONFIG names a file that does not exist THEN synth says so in one line and exits 1", () => {
  const result = synth({ M2M_CONFIG: "config/nope.ts" });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe('M2M_CONFIG: no registry module at "config/nope.ts"\n');
  expect(existsSync(result.outdir)).toBe(false);
});

test("GIVEN a module without a registry export THEN synth says what to export and exits 1", () => {
  const module = join(work, "empty-module.ts");
  writeFileSync(module, "export const nothing = 1;\n");
  const result = synth({ M2M_CONFIG: module });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    /must export a registry as its default export \(export default defineRegistry\(\{…\}\)\)\n$/,
  );
  expect(result.stderr.split("\n")).toHaveLength(2);
});

describe("a registry module that cannot be read", () => {
  /** Writes a module into the scratch folder and synthesizes it. */
  function synthModule(name: string, source: string, extra: Record<string, string> = {}) {
    for (const [file, text] of Object.entries(extra)) writeFileSync(join(work, file), text);
    const module = join(work, name);
    writeFileSync(module, source);
    return { ...synth({ M2M_CONFIG: module }), module };
  }

  test("GIVEN a syntax error THEN one line keeps its file, line and column, and nothing is written", () => {
    const run = synthModule(
      "syntax-error.ts",
      `export default {\n  project: "m2m",\n  environments: { dev: { region: "eu-west-1" ] },\n};\n`,
    );
    expect({ status: run.status, stdout: run.stdout, written: existsSync(run.outdir) }).toEqual({
      status: 1,
      stdout: "",
      written: false,
    });
    expect(run.stderr).toBe(
      `M2M_CONFIG: cannot load ${JSON.stringify(run.module)}: ${run.module}:3:45: Expected "}" but found "]"\n`,
    );
  });

  test("GIVEN a module whose import throws THEN one line says what it threw", () => {
    const run = synthModule("throwing-import.ts", `import "./fails-at-load";\nexport default {};\n`, {
      "fails-at-load.ts": `throw new Error("the partner directory is down");\n`,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1,
      stderr: `M2M_CONFIG: cannot load ${JSON.stringify(run.module)}: the partner directory is down\n`,
    });
  });

  test("GIVEN a registry with a getter that throws THEN one line names the field that threw", () => {
    const run = synthModule(
      "throwing-getter.ts",
      `import { minimalRegistry } from ${JSON.stringify(join(repo, "__tests__/fixtures/minimal-registry"))};
export default {
  ...minimalRegistry,
  clients: [minimalRegistry.clients[0], { ...minimalRegistry.clients[1], get description(): string { throw new TypeError("no description service"); } }],
};
`,
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1,
      stderr: `M2M_CONFIG: cannot read ${JSON.stringify(run.module)}: reading clients[1].description threw an error: TypeError: no description service\n`,
    });
  });

  test("GIVEN a registry that refers back to itself THEN one line names where", () => {
    const run = synthModule(
      "cyclic.ts",
      `import { minimalRegistry } from ${JSON.stringify(join(repo, "__tests__/fixtures/minimal-registry"))};
const registry: any = structuredClone(minimalRegistry);
registry.tiers.basic.parent = registry;
export default registry;
`,
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1,
      stderr: `M2M_CONFIG: cannot read ${JSON.stringify(run.module)}: tiers.basic.parent refers back to itself\n`,
    });
  });
});

describe("client shards and moves", () => {
  /** A registry module in the scratch folder: the minimal fixture with dev over `shards` stacks. */
  function shardedModule(name: string, shards: number): string {
    const folder = mkdtempSync(join(work, `${name}-`));
    const module = join(folder, "registry.ts");
    writeFileSync(
      module,
      `import { minimalRegistry } from ${JSON.stringify(join(repo, "__tests__/fixtures/minimal-registry"))};
export default { ...minimalRegistry, environments: { ...minimalRegistry.environments, dev: { ...minimalRegistry.environments.dev, clientShards: ${shards} } } };
`,
    );
    return module;
  }

  test("GIVEN dev over three shards THEN synth writes and names the platform stack and each shard with its clients and state", () => {
    const result = synth({ M2M_CONFIG: shardedModule("sharded", 3) });
    expect(result.stdout.split("\n").slice(0, 5)).toEqual([
      "synthesized dev: 0 client(s), local state terraform-state/dev.tfstate",
      "synthesized dev-clients-0: 1 client(s), local state terraform-state/dev-clients-0.tfstate",
      "synthesized dev-clients-1: 1 client(s), local state terraform-state/dev-clients-1.tfstate",
      "synthesized dev-clients-2: 0 client(s), local state terraform-state/dev-clients-2.tfstate",
      "synthesized prod: 1 client(s), local state terraform-state/prod.tfstate",
    ]);
    expect(readdirSync(join(result.outdir, "stacks")).sort()).toEqual([
      "dev",
      "dev-clients-0",
      "dev-clients-1",
      "dev-clients-2",
      "prod",
    ]);
  });

  test("GIVEN a moves file that no longer fits clientShards THEN synth names the move and the field, exits 1 and writes nothing", () => {
    const module = shardedModule("moves", 2);
    const moves = {
      environment: "dev",
      moves: [
        {
          client: "globex-orders",
          from: "dev",
          to: "dev-clients-1",
          imports: {},
          forget: ["aws_api_gateway_api_key.globex-orders"],
        },
      ],
    };
    mkdirSync(join(module, "..", "reshard"));
    writeFileSync(join(module, "..", "reshard", "dev.json"), JSON.stringify(moves));
    const result = synth({ M2M_CONFIG: module });
    expect({ status: result.status, written: existsSync(result.outdir) }).toEqual({ status: 1, written: false });
    expect(result.stderr.split("\n")[0]).toBe(
      `error: ${relative(repo, join(module, "..", "reshard", "dev.json"))}.moves[0].to: must be "dev-clients-0", where clientShards 2 puts globex-orders (run npm run reshard -- --env dev again after changing clientShards); got "dev-clients-1"`,
    );
  });
});
