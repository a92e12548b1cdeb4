/**
 * `replace_triggered_by` entries that Terraform accepts both in the JSON that deploys and in the HCL
 * export: checked with `terraform validate` on a small stack written each way.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { App, TerraformStack } from "cdktf";
import { replaceTriggerReference, writesHcl } from "../stacks/lifecycle-reference";
import { requireTerraform, terraform } from "./support/terraform";

jest.setTimeout(120_000);

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** An app client and a secret version replaced with it, written as JSON or HCL; returns the stack folder. */
function synthTriggeredVersion(hclOutput: boolean): { dir: string; reference: string } {
  const outdir = mkdtempSync(join(tmpdir(), "m2m-lifecycle-"));
  outdirs.push(outdir);
  // As `cdktf synth --hcl` does: the variable is what App and TerraformStack read.
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hclOutput);
  try {
    return synthInto(outdir);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

function synthInto(outdir: string): { dir: string; reference: string } {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "lifecycle");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const appClient = new CognitoUserPoolClient(stack, "app-client", { name: "acme-billing", userPoolId: "eu-west-1_example" });
  appClient.overrideLogicalId("acme-billing");
  const reference = replaceTriggerReference(appClient, "id");
  new SecretsmanagerSecretVersion(stack, "credentials-value", {
    secretId: "m2m/dev/clients/acme-billing",
    secretString: "{}",
    lifecycle: { ignoreChanges: ["secret_string"], replaceTriggeredBy: [reference] },
  }).overrideLogicalId("acme-billing");
  app.synth();
  return { dir: join(outdir, "stacks", "lifecycle"), reference };
}

function validate(dir: string): { valid: boolean; errors: number } {
  terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"]);
  const result = JSON.parse(terraform(dir, ["validate", "-json", "-no-color"]).stdout);
  return { valid: result.valid, errors: result.error_count };
}

beforeAll(() => requireTerraform());

test("is the bare address in JSON, under the overridden logical id, and terraform validate accepts it", () => {
  const { dir, reference } = synthTriggeredVersion(false);
  expect(reference).toBe("aws_cognito_user_pool_client.acme-billing.id");
  const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
  expect(json.resource.aws_secretsmanager_secret_version["acme-billing"].lifecycle.replace_triggered_by).toEqual([
    "aws_cognito_user_pool_client.acme-billing.id",
  ]);
  expect(validate(dir)).toEqual({ valid: true, errors: 0 });
});

test("is a single-reference template in HCL, and terraform validate accepts it", () => {
  const { dir, reference } = synthTriggeredVersion(true);
  expect(reference).toBe("${aws_cognito_user_pool_client.acme-billing.id}");
  expect(readFileSync(join(dir, "cdk.tf"), "utf8")).toContain('"${aws_cognito_user_pool_client.acme-billing.id}"');
  expect(validate(dir)).toEqual({ valid: true, errors: 0 });
});

test("follows SYNTH_HCL_OUTPUT as TerraformStack reads it", () => {
  expect([undefined, "", "false", "true", "1"].map((value) => writesHcl({ SYNTH_HCL_OUTPUT: value }))).toEqual([false, false, false, true, true]);
});
