/**
 * The way out of CDKTF (archived upstream): `npm run synth:hcl` writes each stack as plain HCL that
 * Terraform plans and applies on its own. CDKTF's HCL writer is experimental, so `validate` is not
 * taken as proof: the HCL of the emulator fixture is applied to one moto server and the JSON of the
 * same fixture to another, the HCL re-plans clean, both states hold the same addresses, and the HCL
 * planned against the state the JSON apply left changes nothing (same resources, same attributes).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import registry from "./fixtures/emulator-registry";
import { EmulatedDeployment, type Emulator, planAgainstState, startEmulator } from "./support/emulator";
import { runTerraform, terraform } from "./support/terraform";

jest.setTimeout(300_000);

const FIXTURE = join(__dirname, "fixtures", "emulator-registry.ts");
const REGION = "eu-west-1";
const SANDBOX = "sandbox";
const environments = Object.keys(registry.environments).sort();

/** Two servers, so that each format's apply starts from nothing. */
const emulators: Emulator[] = [];
/** The HCL export, applied to its own moto server. */
let hcl: EmulatedDeployment;
/** The JSON `npm run synth` writes, applied to another. */
let json: EmulatedDeployment;
let hclEnv: NodeJS.ProcessEnv;
let jsonEnv: NodeJS.ProcessEnv;
let work: string;

beforeAll(async () => {
  emulators.push(
    ...(await Promise.all(["hcl-export-hcl", "hcl-export-json"].map((name) => startEmulator(name, REGION)))),
  );
  const [hclEmulator, jsonEmulator] = emulators;
  ({ awsEnv: hclEnv, root: work } = hclEmulator);
  jsonEnv = jsonEmulator.awsEnv;
  hcl = hclEmulator.deployment();
  json = jsonEmulator.deployment();
  hcl.synthHcl(FIXTURE);
  json.synth(FIXTURE);
}, 300_000);

afterAll(() => Promise.all(emulators.map((emulator) => emulator.stop())));

/** Initialises and deploys the sandbox of `app` to its moto. */
async function deployFromScratch(app: EmulatedDeployment): Promise<void> {
  app.init(SANDBOX);
  await app.deployFromScratch(SANDBOX);
}

function stateAddresses(app: EmulatedDeployment, env: NodeJS.ProcessEnv): string[] {
  return terraform(app.stackDir(SANDBOX), ["state", "list"], env).stdout.trim().split("\n").sort();
}

describe("npm run synth:hcl", () => {
  test("writes one cdk.tf per environment and no JSON configuration beside it", () => {
    expect(readdirSync(join(hcl.outdir, "stacks")).sort()).toEqual(environments);
    for (const env of environments) {
      expect({
        env,
        hcl: existsSync(join(hcl.stackDir(env), "cdk.tf")),
        json: existsSync(join(hcl.stackDir(env), "cdk.tf.json")),
      }).toEqual({
        env,
        hcl: true,
        json: false,
      });
    }
  });

  test("GIVEN HCL already written WHEN synthesized as JSON, then as HCL again THEN each time only that format's file is left", () => {
    const scratch = new EmulatedDeployment(mkdtempSync(join(work, "formats-")), {});
    const files = () => readdirSync(scratch.stackDir(SANDBOX)).filter((name) => name.startsWith("cdk.tf"));
    scratch.synthHcl(FIXTURE);
    expect(files()).toEqual(["cdk.tf"]);
    scratch.synth(FIXTURE);
    expect(files()).toEqual(["cdk.tf.json"]);
    scratch.synthHcl(FIXTURE);
    expect(files()).toEqual(["cdk.tf"]);
  });

  test("keeps the client addresses and the protected pool's prevent_destroy in the HCL", () => {
    const live = readFileSync(join(hcl.stackDir("live"), "cdk.tf"), "utf8");
    expect(live).toContain('resource "aws_cognito_user_pool_client" "alpha-orders" {');
    const poolStart = live.indexOf('resource "aws_cognito_user_pool" "pool" {');
    expect(poolStart).toBeGreaterThanOrEqual(0);
    expect(live.slice(poolStart, live.indexOf("\n}\n", poolStart))).toMatch(
      /lifecycle \{\s*prevent_destroy = true\s*\}/,
    );
  });

  test.each(environments)("the %s HCL passes terraform validate with no errors", (env) => {
    const dir = hcl.stackDir(env);
    terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"]);
    const result = JSON.parse(terraform(dir, ["validate", "-json", "-no-color"]).stdout);
    // CDKTF writes `depends_on` entries in quotes, which Terraform accepts with a deprecation warning.
    const otherDiagnostics = (result.diagnostics as { severity: string; summary: string }[]).filter(
      (d) => d.severity !== "warning" || d.summary !== "Quoted references are deprecated",
    );
    expect({ valid: result.valid, errors: result.error_count, otherDiagnostics }).toEqual({
      valid: true,
      errors: 0,
      otherDiagnostics: [],
    });
  });

  test("the HCL applies to moto, and a refreshing re-plan right after has no changes", async () => {
    await Promise.all([deployFromScratch(hcl), deployFromScratch(json)]);
    const plan = runTerraform(
      hcl.stackDir(SANDBOX),
      ["plan", "-input=false", "-no-color", "-detailed-exitcode"],
      hclEnv,
      { timeoutMs: 180_000 },
    );
    expect({ exit: plan.status, stderr: plan.stderr.trim() }).toEqual({ exit: 0, stderr: "" });
  });

  test("the HCL apply and the JSON apply hold the same resource addresses", () => {
    const addresses = stateAddresses(hcl, hclEnv);
    expect(addresses).toContain("aws_cognito_user_pool_client.alpha-orders");
    expect(addresses).toHaveLength(stateAddresses(json, jsonEnv).length);
    expect(addresses).toEqual(stateAddresses(json, jsonEnv));
  });

  test("the HCL planned against the state the JSON apply left changes nothing: same resources, same attributes", () => {
    // WHEN the HCL stack is planned against the state the JSON apply left, on the JSON's moto
    const plan = planAgainstState(hcl, json, SANDBOX, jsonEnv);
    // THEN Terraform finds nothing to change
    expect(plan).toEqual({ exit: 0, summary: "No changes.", stderr: "" });
  });
});
