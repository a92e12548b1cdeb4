/**
 * `terraform validate` of every synthesized stack, offline: catches what tsx and the cdktf types let
 * through (a block where the provider wants a list, an unknown argument) before anything reaches AWS.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { shardOfClient } from "../model/shards";
import { withoutTerraformCloud } from "./support/emulator";
import registry from "./fixtures/sample-registry";
import { synthesize } from "../stacks/synthesize";
import { requireTerraform, terraform } from "./support/terraform";

jest.setTimeout(240_000);

const REPO = resolve(__dirname, "..");
const outdir = mkdtempSync(join(tmpdir(), "m2m-validate-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

beforeAll(() => {
  requireTerraform();
  synthesize(registry, { outdir, processEnv: {} });
});

test("synth writes one stack per environment", () => {
  expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(Object.keys(registry.environments).sort());
});

test.each(Object.keys(registry.environments))(
  "the %s stack passes terraform validate with no errors or warnings",
  (env) => {
    const dir = join(outdir, "stacks", env);
    terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"]);
    const result = JSON.parse(terraform(dir, ["validate", "-json", "-no-color"]).stdout);
    expect({
      valid: result.valid,
      errors: result.error_count,
      warnings: result.warning_count,
      diagnostics: result.diagnostics,
    }).toEqual({
      valid: true,
      errors: 0,
      warnings: 0,
      diagnostics: [],
    });
  },
);

describe("a sharded environment with a client move, written as JSON and as HCL", () => {
  const work = mkdtempSync(join(tmpdir(), "m2m-validate-shards-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const STACKS = ["dev", "dev-clients-0", "dev-clients-1", "dev-clients-2", "staging", "prod"];

  beforeAll(() => {
    // GIVEN the sample registry with dev over three shards, and globex-fulfilment on its way out of dev
    writeFileSync(
      join(work, "registry.ts"),
      `import sample from ${JSON.stringify(join(__dirname, "fixtures", "sample-registry"))};
export default { ...sample, environments: { ...sample.environments, dev: { ...sample.environments.dev, clientShards: 3 } } };
`,
    );
    mkdirSync(join(work, "reshard"));
    const forget = ["aws_cognito_user_pool_client", "aws_kms_key", "aws_secretsmanager_secret_version"].map(
      (t) => `${t}.globex-fulfilment`,
    );
    const imports = {
      "aws_cognito_user_pool_client.globex-fulfilment": "eu-west-1_pool/id",
      "aws_kms_key.globex-fulfilment": "key",
    };
    const move = {
      client: "globex-fulfilment",
      from: "dev",
      to: `dev-clients-${shardOfClient("globex-fulfilment", 3)}`,
      imports,
      forget,
    };
    writeFileSync(join(work, "reshard", "dev.json"), JSON.stringify({ environment: "dev", moves: [move] }));
  });

  test.each([
    ["JSON", "cdk.tf.json", {}],
    ["HCL", "cdk.tf", { SYNTH_HCL_OUTPUT: "true" }],
  ])(
    "WHEN written as %s THEN every stack passes terraform validate, the moved client's blocks included",
    (_, file, extra) => {
      const outdir = join(work, file);
      const synth = spawnSync(
        process.execPath,
        [join(REPO, "node_modules", "tsx", "dist", "cli.mjs"), join(REPO, "main.ts")],
        {
          cwd: REPO,
          env: {
            ...withoutTerraformCloud(process.env),
            M2M_CONFIG: join(work, "registry.ts"),
            CDKTF_OUTDIR: outdir,
            ...extra,
          },
          encoding: "utf8",
        },
      );
      expect({ status: synth.status, stderr: synth.stderr }).toEqual({
        status: 0,
        stderr: expect.not.stringMatching(/error/),
      });
      expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([...STACKS].sort());
      expect(readFileSync(join(outdir, "stacks", "dev", file), "utf8")).toMatch(/removed/);
      for (const stack of STACKS) {
        const dir = join(outdir, "stacks", stack);
        terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"]);
        const result = JSON.parse(terraform(dir, ["validate", "-json", "-no-color"]).stdout);
        // cdktf's HCL writer quotes the references in depends_on, which Terraform accepts with a warning.
        const diagnostics = result.diagnostics as { severity: string }[];
        const errors = diagnostics.filter((d) => file === "cdk.tf.json" || d.severity === "error");
        expect({ stack, valid: result.valid, errors }).toEqual({ stack, valid: true, errors: [] });
      }
    },
  );
});
