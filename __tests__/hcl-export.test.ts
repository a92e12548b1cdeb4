/**
 * The way out of CDKTF (archived upstream): `cdktf synth --hcl` (`npm run synth:hcl`) writes each
 * stack as plain HCL that Terraform accepts on its own, offline. CDKTF's HCL writer is experimental,
 * so this runs the real CLI and the real `terraform validate` rather than trusting it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import registry from "../config/registry";
import { requireTerraform, terraform, terraformEnv } from "./support/terraform";

jest.setTimeout(300_000);

const ROOT = join(__dirname, "..");
const outdir = mkdtempSync(join(tmpdir(), "m2m-hcl-"));
const environments = Object.keys(registry.environments);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

beforeAll(() => {
  requireTerraform();
  const cdktf = spawnSync(join(ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--hcl", "--output", outdir], {
    cwd: ROOT,
    env: { ...terraformEnv(), CI: "1", FORCE_COLOR: "0" },
    encoding: "utf8",
    timeout: 240_000,
  });
  if (cdktf.status !== 0) throw new Error(`cdktf synth --hcl failed (exit ${cdktf.status}):\n${cdktf.stderr}\n${cdktf.stdout}`);
});

test("writes one cdk.tf per environment and no JSON configuration", () => {
  expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([...environments].sort());
  for (const env of environments) {
    expect(existsSync(join(outdir, "stacks", env, "cdk.tf"))).toBe(true);
    expect(existsSync(join(outdir, "stacks", env, "cdk.tf.json"))).toBe(false);
  }
});

test("keeps the client addresses and the prod pool's prevent_destroy in the HCL", () => {
  const prod = readFileSync(join(outdir, "stacks", "prod", "cdk.tf"), "utf8");
  const prodClients = registry.clients.filter((c) => (c.environments as readonly string[]).includes("prod"));
  for (const client of prodClients) {
    expect(prod).toContain(`resource "aws_cognito_user_pool_client" "${client.key}" {`);
  }
  const poolStart = prod.indexOf('resource "aws_cognito_user_pool" "pool" {');
  const poolBlock = prod.slice(poolStart, prod.indexOf("\n}\n", poolStart));
  expect(poolStart).toBeGreaterThanOrEqual(0);
  expect(poolBlock).toMatch(/lifecycle \{\s*prevent_destroy = true\s*\}/);
});

test.each(environments)("the %s HCL passes terraform validate with no errors", (env) => {
  const dir = join(outdir, "stacks", env);
  terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"]);
  const result = JSON.parse(terraform(dir, ["validate", "-json", "-no-color"]).stdout);
  // CDKTF writes `depends_on` entries in quotes, which Terraform accepts with a deprecation warning.
  const otherWarnings = (result.diagnostics as { severity: string; summary: string }[]).filter(
    (d) => d.severity !== "warning" || d.summary !== "Quoted references are deprecated",
  );
  expect({ valid: result.valid, errors: result.error_count, otherDiagnostics: otherWarnings }).toEqual({
    valid: true,
    errors: 0,
    otherDiagnostics: [],
  });
});
