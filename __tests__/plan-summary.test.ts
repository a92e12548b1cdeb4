/**
 * `.github/plan-summary.jq`, what a reviewer reads in the deploy's job summary before approving: a
 * saved plan's `terraform show -json` as Markdown, replacements and destroys first. Run with the jq
 * of the GitHub runners, against plans in Terraform's JSON plan format.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const FILTER = join(__dirname, "..", ".github", "plan-summary.jq");

/** The summary lines jq writes for a plan of `stack`. */
function summarize(plan: unknown, stack: string): string[] {
  const result = spawnSync("jq", ["-r", "--arg", "stack", stack, "-f", FILTER], {
    input: JSON.stringify(plan),
    encoding: "utf8",
  });
  if (result.error) throw result.error;
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout.split("\n").slice(0, -1);
}

/** One entry of `resource_changes`. */
const change = (address: string, actions: string[], extra: Record<string, unknown> = {}) => ({
  address,
  mode: address.startsWith("data.") ? "data" : "managed",
  change: { actions, ...extra },
});

test("calls out replacements and destroys first, then imports, forgets, updates and creates", () => {
  // GIVEN a plan with one change of every kind, and resources it leaves alone
  const plan = {
    format_version: "1.2",
    resource_changes: [
      change("aws_api_gateway_usage_plan_key.acme", ["create"]),
      change("aws_cognito_user_pool_client.acme", ["delete", "create"]),
      change("aws_api_gateway_api_key.acme", ["create", "delete"]),
      change("aws_secretsmanager_secret.retired", ["delete"]),
      change("aws_api_gateway_stage.api", ["update"]),
      change("aws_iam_role.logging", ["no-op"]),
      change("data.aws_caller_identity.current", ["read"]),
      change("aws_api_gateway_api_key.moved", ["no-op"], { importing: { id: "k1" } }),
      change("aws_api_gateway_api_key.gone", ["forget"]),
    ],
  };
  // WHEN it is summarized THEN every line is exactly this
  expect(summarize(plan, "prod")).toEqual([
    "### Plan of `prod`",
    "",
    "1 to add, 1 to change, 2 to replace, 1 to destroy, 1 to import, 1 to forget.",
    "",
    "⚠️ **Replaced** (a new resource takes the place of the old one: new ids):",
    "- `aws_cognito_user_pool_client.acme`",
    "- `aws_api_gateway_api_key.acme`",
    "",
    "⚠️ **Destroyed**:",
    "- `aws_secretsmanager_secret.retired`",
    "",
    "**Imported** into this state:",
    "- `aws_api_gateway_api_key.moved`",
    "",
    "**Forgotten** by this state, kept in AWS:",
    "- `aws_api_gateway_api_key.gone`",
    "",
    "Changed in place:",
    "- `aws_api_gateway_stage.api`",
    "",
    "Created:",
    "- `aws_api_gateway_usage_plan_key.acme`",
  ]);
});

test("says No changes for a plan without resource changes, or with only no-ops and reads", () => {
  expect(summarize({ format_version: "1.2" }, "dev")).toEqual(["### Plan of `dev`", "", "No changes."]);
  const quiet = {
    format_version: "1.2",
    resource_changes: [change("aws_iam_role.logging", ["no-op"]), change("data.aws_region.current", ["read"])],
  };
  expect(summarize(quiet, "dev-clients-2")).toEqual(["### Plan of `dev-clients-2`", "", "No changes."]);
});

test("lists 20 addresses of a kind and counts the rest", () => {
  const plan = {
    format_version: "1.2",
    resource_changes: Array.from({ length: 23 }, (_, i) => change(`aws_api_gateway_api_key.client_${i}`, ["create"])),
  };
  const lines = summarize(plan, "dev");
  expect(lines.slice(0, 5)).toEqual([
    "### Plan of `dev`",
    "",
    "23 to add, 0 to change, 0 to replace, 0 to destroy, 0 to import, 0 to forget.",
    "",
    "Created:",
  ]);
  expect(lines.slice(5)).toEqual([
    ...Array.from({ length: 20 }, (_, i) => `- \`aws_api_gateway_api_key.client_${i}\``),
    "- … and 3 more",
  ]);
});
