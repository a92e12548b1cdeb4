/**
 * Growing from one stack to client shards without replacing anything, on moto: the sandbox deployed
 * as one stack, `clientShards` set to 3, the moves planned from the deployed state as `npm run reshard`
 * plans them, then the platform stack applied, then the shards. Every plan destroys nothing; every
 * client keeps its client id, secret, API key and secret ARN; a second plan of every stack is empty.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { clientMovesFile } from "../../config/client-moves";
import type { Registry } from "../../config/schema";
import { planReshard } from "../../scripts/lib/reshard-plan";
import { backendStateReader } from "../../scripts/lib/stack-state";
import oneStack from "../fixtures/emulator-reshard-one";
import threeShards from "../fixtures/emulator-reshard-three";
import { type EmulatedDeployment, type Emulator, type Plan, startEmulator } from "../support/emulator";
import { AwsClients, readEnvironment, type Deployed } from "../support/readback";
import { withoutTerraformCloud } from "../support/emulator";

jest.setTimeout(600_000);

const REGION = "eu-west-1";
const SANDBOX = "sandbox";
const SHARDS = ["sandbox-clients-0", "sandbox-clients-1", "sandbox-clients-2"];
const FIXTURES = join(__dirname, "..", "fixtures");

let emulator: Emulator | undefined;
let aws: AwsClients | undefined;
let app: EmulatedDeployment;
/** Registry modules in the emulator's folder, so the moves file lands there, not in the repository. */
let moduleOf: (fixture: string) => string;
let before: Deployed;

beforeAll(async () => {
  emulator = await startEmulator("reshard", REGION);
  aws = new AwsClients(emulator.endpoint, REGION);
  app = emulator.deployment();
  moduleOf = (fixture) => {
    const module = join(emulator!.root, `${fixture}.ts`);
    writeFileSync(module, `export { default } from ${JSON.stringify(join(FIXTURES, fixture))};\n`);
    return module;
  };
  app.synth(moduleOf("emulator-reshard-one"));
  app.init(SANDBOX);
  await app.deployFromScratch(SANDBOX);
  before = await readEnvironment(aws, oneStack, SANDBOX);
}, 300_000);

afterAll(async () => {
  aws?.destroy();
  await emulator?.stop();
});

/** A plan's lines without the data sources and no-ops, as `"<address> <action>"`. */
const changesOf = (plan: Plan) => plan.changes().filter((line) => !line.startsWith("data."));

describe("one stack to three client shards", () => {
  let moves: ReturnType<typeof planReshard>;

  test("GIVEN the deployed one-stack sandbox WHEN clientShards is 3 THEN each client moves with its imports from the state", () => {
    const readState = backendStateReader(
      threeShards as Registry,
      SANDBOX,
      app.outdir,
      withoutTerraformCloud(process.env),
    );
    moves = planReshard(SANDBOX, oneStack, threeShards, readState);
    expect(moves.lines).toEqual([
      "alpha-orders: sandbox → sandbox-clients-0, 4 imported, 5 forgotten",
      "bravo-fulfilment: sandbox → sandbox-clients-1, 7 imported, 8 forgotten",
      "charlie-stock: sandbox → sandbox-clients-0, 4 imported, 5 forgotten",
    ]);
    const alpha = moves.file.moves.find((move) => move.client === "alpha-orders")!;
    expect(alpha.imports).toEqual({
      "aws_cognito_user_pool_client.alpha-orders": `${before.poolId}/${before.identities["alpha-orders"].clientId}`,
      "aws_api_gateway_api_key.alpha-orders": before.identities["alpha-orders"].apiKeyId,
      "aws_api_gateway_usage_plan_key.alpha-orders": expect.stringMatching(/^\w+\/\w+$/),
      "aws_secretsmanager_secret.alpha-orders": before.identities["alpha-orders"].secretArn,
    });
    const file = clientMovesFile(moduleOf("emulator-reshard-three"), SANDBOX);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(moves.file));
  });

  test("THEN the platform stack's plan forgets the clients' resources and destroys nothing", () => {
    app.synth(moduleOf("emulator-reshard-three"));
    for (const stack of SHARDS) app.init(stack);
    const platform = app.plan(SANDBOX);
    const lines = changesOf(platform);
    expect(lines.filter((line) => !line.endsWith(" forget"))).toEqual([]);
    expect(lines).toHaveLength(5 + 8 + 5);
    app.applySavedPlan(SANDBOX);
  });

  test("THEN each shard imports its clients, writes each secret's value once more, updates in place what import cannot read, and destroys nothing", () => {
    const plans = Object.fromEntries(SHARDS.map((stack) => [stack, app.plan(stack)]));
    expect(plans["sandbox-clients-0"].imports()).toHaveLength(8);
    expect(plans["sandbox-clients-1"].imports()).toHaveLength(7);
    // Arguments the API does not report (recovery window, deletion window, block_public_policy) and
    // tags equal to the provider's default tags read back empty after an import: in-place updates.
    expect(changesOf(plans["sandbox-clients-0"])).toEqual([
      "aws_api_gateway_api_key.alpha-orders update",
      "aws_api_gateway_api_key.charlie-stock update",
      "aws_secretsmanager_secret.alpha-orders update",
      "aws_secretsmanager_secret.charlie-stock update",
      "aws_secretsmanager_secret_version.alpha-orders create",
      "aws_secretsmanager_secret_version.charlie-stock create",
    ]);
    expect(changesOf(plans["sandbox-clients-1"])).toEqual([
      "aws_api_gateway_api_key.bravo-fulfilment update",
      "aws_kms_key.bravo-fulfilment update",
      "aws_secretsmanager_secret.bravo-fulfilment update",
      "aws_secretsmanager_secret_policy.bravo-fulfilment update",
      "aws_secretsmanager_secret_version.bravo-fulfilment create",
    ]);
    expect(changesOf(plans["sandbox-clients-2"])).toEqual([]);
    for (const stack of SHARDS) app.applySavedPlan(stack);
  });

  test("THEN every client has the client id, secret, API key and secret ARN it had before", async () => {
    const after = await readEnvironment(aws!, threeShards, SANDBOX);
    expect(after.identities).toEqual(before.identities);
    expect(after.view.secrets).toEqual(before.view.secrets);
    expect(Object.keys(after.identities).sort()).toEqual(["alpha-orders", "bravo-fulfilment", "charlie-stock"]);
  });

  test("THEN a second plan of every stack changes nothing", () => {
    for (const stack of [SANDBOX, ...SHARDS])
      expect({ stack, changes: changesOf(app.plan(stack)) }).toEqual({ stack, changes: [] });
  });
});

describe("three client shards back to one stack", () => {
  const RETIRED = ["sandbox-clients-0", "sandbox-clients-1"];

  test("GIVEN the sharded sandbox WHEN clientShards is 1 again THEN the clients move back, and the shards they leave are kept only to forget them", () => {
    const readState = backendStateReader(oneStack as Registry, SANDBOX, app.outdir, withoutTerraformCloud(process.env));
    const moves = planReshard(SANDBOX, threeShards, oneStack, readState);
    expect(moves.lines).toEqual([
      "alpha-orders: sandbox-clients-0 → sandbox, 4 imported, 5 forgotten",
      "bravo-fulfilment: sandbox-clients-1 → sandbox, 7 imported, 8 forgotten",
      "charlie-stock: sandbox-clients-0 → sandbox, 4 imported, 5 forgotten",
    ]);
    writeFileSync(clientMovesFile(moduleOf("emulator-reshard-one"), SANDBOX), JSON.stringify(moves.file));
    app.synth(moduleOf("emulator-reshard-one"));
    expect(app.stackNames()).toEqual(["live", SANDBOX, ...RETIRED]);
  });

  test("THEN the platform imports every client and the retired shards forget theirs, destroying nothing", () => {
    const platform = app.plan(SANDBOX);
    expect(platform.imports()).toHaveLength(4 + 7 + 4);
    expect(changesOf(platform).filter((line) => !/ (update|create)$/.test(line))).toEqual([]);
    expect(changesOf(platform).filter((line) => line.endsWith(" create"))).toEqual([
      "aws_secretsmanager_secret_version.alpha-orders create",
      "aws_secretsmanager_secret_version.bravo-fulfilment create",
      "aws_secretsmanager_secret_version.charlie-stock create",
    ]);
    app.applySavedPlan(SANDBOX);
    for (const stack of RETIRED) {
      expect(changesOf(app.plan(stack)).filter((line) => !line.endsWith(" forget"))).toEqual([]);
      app.applySavedPlan(stack);
    }
  });

  test("THEN every client still has its identity, and every stack plans clean", async () => {
    const after = await readEnvironment(aws!, oneStack, SANDBOX);
    expect(after.identities).toEqual(before.identities);
    for (const stack of [SANDBOX, ...RETIRED]) {
      expect({ stack, changes: changesOf(app.plan(stack)) }).toEqual({ stack, changes: [] });
    }
  });
});
