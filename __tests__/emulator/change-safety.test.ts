/**
 * Every config change proven on a real Terraform apply. The test registries in
 * `__tests__/fixtures/emulator-*.ts` are synthesized through `M2M_CONFIG` exactly as `npm run synth`
 * does, applied with Terraform to a local moto server (only `AWS_ENDPOINT_URL` and dummy keys
 * differ from production), and read back through the AWS SDK.
 *
 * Each change-safety scenario is one pull request on top of the previous one: change the config,
 * synthesize, `terraform plan -out`, assert on `terraform show -json`'s `resource_changes`, apply
 * that saved plan, read everything back, and check that every client that was there before still has
 * the same client id, secret, API key and secret ARN. The tests share one moto server and one state
 * and run in file order; when one fails, the ones after it start from an unexpected state. A Lambda
 * function whose code asset changed between two synths (someone editing `functions/` during a run) may
 * redeploy without failing a scenario; one whose code did not change must never redeploy.
 *
 * What moto cannot do, and how the tests live with it (the tests concerned say so in their names):
 * - CreateAuthorizer drops `identityValidationExpression` (UpdateAuthorizer keeps it): the first
 *   deployment applies the authorizer a second time; scenario 1 then shows that nothing drifts;
 * - no token endpoint: scopes are read back from DescribeUserPoolClient, not from an issued token (5);
 * - UpdateUsagePlan stores a new quota limit as a string, which neither the provider nor the SDK can
 *   read back (and there is no GetUsage to meter it): the quota change (6) is planned, not applied;
 * - no TagResource for API keys: the tier move (4) is applied without the API key's new tier tag;
 * - no DeleteResourceServer: no scenario removes a resource server.
 *
 * The tests keep the issue's scenario numbers, in the order they run: 4 runs after 5 and 6, right
 * before 7 removes the client it moved, so the tag moto could not write never reaches another plan.
 */
import { join } from "node:path";
import type { Registry } from "../../config/schema";
import addedClient from "../fixtures/emulator-added-client";
import changedScopes from "../fixtures/emulator-changed-scopes";
import movedTier from "../fixtures/emulator-moved-tier";
import base from "../fixtures/emulator-registry";
import removedClient from "../fixtures/emulator-removed-client";
import reorderedClients from "../fixtures/emulator-reordered-clients";
import tightenedQuota from "../fixtures/emulator-tightened-quota";
import { type EmulatedDeployment, type Emulator, type Plan, startEmulator } from "../support/emulator";
import {
  AwsClients,
  expectedView,
  namesOf,
  readEnvironment,
  type Deployed,
  type EnvironmentView,
} from "../support/readback";

jest.setTimeout(240_000);

const REGION = "eu-west-1";
const SANDBOX = "sandbox";
const LIVE = "live";
const fixture = (name: string) => join(__dirname, "..", "fixtures", `${name}.ts`);

/** The resource types of the five Terraform addresses every client owns (`<type>.<client key>`). */
const CLIENT_RESOURCE_TYPES = [
  "aws_api_gateway_api_key",
  "aws_api_gateway_usage_plan_key",
  "aws_cognito_user_pool_client",
  "aws_secretsmanager_secret",
  "aws_secretsmanager_secret_version",
];

/** The plan lines of `action` on every one of a client's five resources, sorted as `configChanges` sorts. */
const clientChanges = (key: string, action: string) =>
  CLIENT_RESOURCE_TYPES.map((type) => `${type}.${key} ${action}`).sort();

const suiteStarted = Date.now();
let emulator: Emulator | undefined;
let aws: AwsClients | undefined;
let app: EmulatedDeployment;
/** The sandbox as last read back. */
let sandbox: Deployed;
/** The protected environment as first deployed (with the base config). */
let live: Deployed;

beforeAll(async () => {
  emulator = await startEmulator("emulator", REGION);
  app = emulator.deployment();
  aws = new AwsClients(emulator.endpoint, REGION);
}, 60_000);

afterAll(async () => {
  aws?.destroy();
  await emulator?.stop();
  if (process.env.M2M_EMULATOR_TIMINGS) {
    const lines = (app?.timings ?? []).map((t) => `${t.seconds.toFixed(1).padStart(6)} s  ${t.step}`);
    console.log(`emulator suite: ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s\n${lines.join("\n")}`);
  }
});

/** The plan's changes, as sorted `"<address> <action>"` lines, less functions whose code was edited during the run. */
function configChanges(plan: Plan): string[] {
  const newCode = plan.newFunctionCode();
  return plan.changes().filter((line) => !newCode.includes(line));
}

/** Reads an environment back and checks it against the registry, all at once. */
async function readBackAndCheck(
  environment: string,
  registry: Registry,
  adjust: (expected: EnvironmentView) => EnvironmentView = (expected) => expected,
): Promise<Deployed> {
  const deployed = await readEnvironment(aws!, registry, environment);
  expect(deployed.view).toEqual(adjust(expectedView(registry, environment, deployed)));
  return deployed;
}

/** Every client present before and after a change kept its client id, secret, API key and secret. */
function expectIdentitiesKept(before: Deployed, after: Deployed): void {
  const kept = Object.keys(before.identities).filter((key) => key in after.identities);
  expect(Object.fromEntries(kept.map((key) => [key, after.identities[key]]))).toEqual(
    Object.fromEntries(kept.map((key) => [key, before.identities[key]])),
  );
}

describe("the stacks applied to moto, and the sandbox through one pull request after another", () => {
  test("applies the synthesized stacks and reads every client, API key, usage plan, secret and the authorizer back (authorizer applied twice: moto's CreateAuthorizer drops identityValidationExpression)", async () => {
    app.synth(fixture("emulator-registry"));
    app.init(SANDBOX);
    app.init(LIVE);
    await Promise.all([app.deployFromScratch(SANDBOX), app.deployFromScratch(LIVE)]);

    sandbox = await readBackAndCheck(SANDBOX, base);
    expect(Object.keys(sandbox.identities).sort()).toEqual(["alpha-orders", "bravo-fulfilment", "charlie-stock"]);
    expect(sandbox.view.userPool.deletionProtection).toBe("INACTIVE");
    live = await readBackAndCheck(LIVE, base);
    expect(Object.keys(live.identities)).toEqual(["alpha-orders"]);
    expect(live.view.userPool.deletionProtection).toBe("ACTIVE");
  });

  test("1. a refreshing re-plan right after apply has no changes", () => {
    expect(configChanges(app.plan(SANDBOX))).toEqual([]);
  });

  test("2. adding a client only creates that client's five resources", async () => {
    app.synth(fixture("emulator-added-client"));
    const plan = app.plan(SANDBOX);
    expect(configChanges(plan)).toEqual(clientChanges("delta-reports", "create"));

    app.applySavedPlan(SANDBOX);
    const after = await readBackAndCheck(SANDBOX, addedClient);
    expectIdentitiesKept(sandbox, after);
    sandbox = after;
  });

  test("3. reordering the clients in the config changes nothing", async () => {
    app.synth(fixture("emulator-reordered-clients"));
    expect(configChanges(app.plan(SANDBOX))).toEqual([]);

    app.applySavedPlan(SANDBOX);
    const after = await readBackAndCheck(SANDBOX, reorderedClients);
    expect(after.identities).toEqual(sandbox.identities);
    sandbox = after;
  });

  test("5. changing a client's scopes updates its app client in place (scopes read back from DescribeUserPoolClient: moto has no token endpoint)", async () => {
    app.synth(fixture("emulator-changed-scopes"));
    const plan = app.plan(SANDBOX);
    expect(configChanges(plan)).toEqual(["aws_cognito_user_pool_client.bravo-fulfilment update"]);
    expect(plan.changedAttributes("aws_cognito_user_pool_client.bravo-fulfilment")).toEqual(["allowed_oauth_scopes"]);

    app.applySavedPlan(SANDBOX);
    const after = await readBackAndCheck(SANDBOX, changedScopes);
    expect(after.view.appClients["bravo-fulfilment"].scopes).toEqual(["orders/write", "stock/read"]);
    expect(after.identities).toEqual(sandbox.identities);
    sandbox = after;
  });

  test("6. tightening a tier's quota plans an in-place update of that usage plan only (plan only: moto stores an updated quota limit as a string, which no SDK can read back; it has no GetUsage either)", () => {
    app.synth(fixture("emulator-tightened-quota"));
    const plan = app.plan(SANDBOX);
    expect(configChanges(plan)).toEqual(["aws_api_gateway_usage_plan.premium update"]);
    expect(plan.changedAttributes("aws_api_gateway_usage_plan.premium")).toEqual(["quota_settings"]);
    expect(
      plan.resourceChanges.find((c) => c.address === "aws_api_gateway_usage_plan.premium")?.change.after
        ?.quota_settings,
    ).toEqual([{ limit: tightenedQuota.tiers.premium.quota.limit, offset: 0, period: "MONTH" }]);
    // Applying it would leave moto unreadable for every later plan: the change stays unapplied, and the
    // next scenario builds on the previous config.
    app.discardSavedPlan(SANDBOX);
  });

  test("4. moving a client to another tier replaces only its plan key; app client, API key and secret stay (moto has no TagResource for API keys: applied without the key's tier tag)", async () => {
    app.synth(fixture("emulator-moved-tier"));
    const plan = app.plan(SANDBOX);
    // The API key and the secret carry the tier as a tag: an in-place update of tags, nothing else.
    expect(configChanges(plan)).toEqual([
      "aws_api_gateway_api_key.charlie-stock update",
      "aws_api_gateway_usage_plan_key.charlie-stock replace",
      "aws_secretsmanager_secret.charlie-stock update",
    ]);
    expect(plan.action("aws_cognito_user_pool_client.charlie-stock")).toBe("no-op");
    expect(plan.action("aws_secretsmanager_secret_version.charlie-stock")).toBe("no-op");
    expect(plan.changedAttributes("aws_api_gateway_api_key.charlie-stock")).toEqual(["tags", "tags_all"]);
    expect(plan.changedAttributes("aws_secretsmanager_secret.charlie-stock")).toEqual(["tags", "tags_all"]);
    const planKeyChange = plan.changedAttributes("aws_api_gateway_usage_plan_key.charlie-stock");
    expect(planKeyChange).toContain("usage_plan_id");
    expect(planKeyChange).not.toContain("key_id");

    // moto answers TagResource on an API key with a 404, so apply the rest of the change without it.
    app.ignoreChangesInSynthesizedStack(SANDBOX, "aws_api_gateway_api_key.charlie-stock", ["tags", "tags_all"]);
    expect(configChanges(app.plan(SANDBOX))).toEqual([
      "aws_api_gateway_usage_plan_key.charlie-stock replace",
      "aws_secretsmanager_secret.charlie-stock update",
    ]);
    app.applySavedPlan(SANDBOX);

    const keyName = namesOf(movedTier, SANDBOX).apiKey("charlie-stock");
    const after = await readBackAndCheck(SANDBOX, movedTier, (expected) => ({
      ...expected,
      apiKeys: { ...expected.apiKeys, [keyName]: { ...expected.apiKeys[keyName], tierTag: "basic" } },
    }));
    expect(after.view.usagePlans["m2memu-sandbox-premium"].apiKeys).toContain(keyName);
    expect(after.view.usagePlans["m2memu-sandbox-basic"].apiKeys).not.toContain(keyName);
    expect(after.identities).toEqual(sandbox.identities);
    sandbox = after;
  });

  test("7. removing a client only destroys that client's five resources", async () => {
    app.synth(fixture("emulator-removed-client"));
    const plan = app.plan(SANDBOX);
    expect(configChanges(plan)).toEqual(clientChanges("charlie-stock", "delete"));

    app.applySavedPlan(SANDBOX);
    const after = await readBackAndCheck(SANDBOX, removedClient);
    expect(Object.keys(after.identities).sort()).toEqual(["alpha-orders", "bravo-fulfilment", "delta-reports"]);
    expectIdentitiesKept(sandbox, after);
    sandbox = after;
  });
});

describe("the protected live environment on moto", () => {
  test("8. a change that would replace the protected user pool fails the plan, and nothing changes", async () => {
    // WHEN the project is renamed, which renames (and so replaces) every user pool
    app.synth(fixture("emulator-renamed-project"));

    // THEN the protected environment's plan refuses
    const output = app.failingPlan(LIVE);
    expect(output).toContain("Instance cannot be destroyed");
    expect(output).toContain("aws_cognito_user_pool.pool");
    // AND the same change to the unprotected sandbox would replace its pool: prevent_destroy is what stopped it
    expect(app.plan(SANDBOX).action("aws_cognito_user_pool.pool")).toBe("replace");
    // AND the live environment is as it was
    const after = await readEnvironment(aws!, base, LIVE);
    expect(after.view).toEqual(live.view);
    expect(after.identities).toEqual(live.identities);
  });
});
