/**
 * `terraform validate` of every synthesized stack, offline: catches what tsx and the cdktf types let
 * through (a block where the provider wants a list, an unknown argument) before anything reaches AWS.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import registry from "./fixtures/sample-registry";
import { synthesize } from "../stacks/synthesize";
import { requireTerraform, terraform } from "./support/terraform";

jest.setTimeout(240_000);

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
