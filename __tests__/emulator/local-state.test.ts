/**
 * Local state lives outside the build output: `rm -rf cdktf.out` must never lose an environment's
 * state, and state an older checkout kept inside `cdktf.out` moves out at the next synth. Proven with
 * what an operator runs: a deploy to moto, then `cdktf diff` after the folder is gone.
 */
import { cpSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type EmulatedDeployment, type Emulator, startEmulator } from "../support/emulator";

jest.setTimeout(300_000);

const FIXTURE = join(__dirname, "..", "fixtures", "emulator-registry.ts");
const REGION = "eu-west-1";
const SANDBOX = "sandbox";

let emulator: Emulator | undefined;
let app: EmulatedDeployment;

beforeAll(async () => {
  emulator = await startEmulator("local-state", REGION);
  app = emulator.deployment();
  app.synth(FIXTURE);
  app.init(SANDBOX);
  await app.deployFromScratch(SANDBOX);
}, 300_000);

afterAll(() => emulator?.stop());

/** `cdktf diff` of the sandbox exits 0 with the line for an empty plan (not a plan summary). */
function expectNoChanges(): void {
  const diff = app.cdktfDiff(SANDBOX);
  const verdict = diff.output.match(/No changes\. Your infrastructure matches the configuration\.|Plan: [^\n]*/)?.[0];
  expect({ exit: diff.status, verdict }).toEqual({
    exit: 0,
    verdict: "No changes. Your infrastructure matches the configuration.",
  });
}

test("the deploy keeps its state beside the build output, not in it", () => {
  expect(existsSync(app.stateFile(SANDBOX))).toBe(true);
  expect(existsSync(join(app.stackDir(SANDBOX), `terraform.${SANDBOX}.tfstate`))).toBe(false);
});

test("GIVEN a deployed environment WHEN cdktf.out is deleted and synthesized again THEN cdktf diff shows no changes", () => {
  rmSync(app.outdir, { recursive: true, force: true });
  app.synth(FIXTURE);
  expectNoChanges();
});

test("GIVEN state where an older checkout kept it, inside cdktf.out THEN synth moves it out, says so, and cdktf diff shows no changes", () => {
  // GIVEN the state back at the old place, and none at the new
  const legacy = join(app.stackDir(SANDBOX), `terraform.${SANDBOX}.tfstate`);
  cpSync(app.stateFile(SANDBOX), legacy);
  rmSync(app.stateFile(SANDBOX));
  // WHEN synthesized
  app.synth(FIXTURE);
  // THEN it is at the new place only, and Terraform reads it as before
  expect({ legacy: existsSync(legacy), moved: existsSync(app.stateFile(SANDBOX)) }).toEqual({
    legacy: false,
    moved: true,
  });
  expectNoChanges();
});

test("GIVEN state in both places THEN synth stops with one line saying what to do, and moves nothing", () => {
  const legacy = join(app.stackDir(SANDBOX), `terraform.${SANDBOX}.tfstate`);
  writeFileSync(legacy, "{}");
  expect(() => app.synth(FIXTURE)).toThrow(
    `error: state of sandbox is in two places, cdktf.out/stacks/sandbox/terraform.sandbox.tfstate (where it used to be) and terraform-state/sandbox.tfstate: keep the one Terraform wrote last, delete the other, and synth again`,
  );
  expect(existsSync(legacy)).toBe(true);
  rmSync(legacy);
});
