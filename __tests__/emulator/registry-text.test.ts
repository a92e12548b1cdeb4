/**
 * Registry text reaches AWS as text. The hostile fixture (every free-text field full of `${…}`,
 * `%{…}`, `$${`, quotes, backslashes and line breaks) is applied to moto from the JSON stack and read
 * back through the AWS SDK: API key and secret descriptions, tags, usage-plan and scope descriptions,
 * and the mock integration's body are the registry's text, letter for letter. Its HCL export, planned
 * against what the JSON applied, changes nothing: the HCL writes the same text.
 */
import {
  GetApiKeysCommand,
  GetIntegrationResponseCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetUsagePlansCommand,
} from "@aws-sdk/client-api-gateway";
import { DescribeResourceServerCommand, ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { join } from "node:path";
import hostile, { DIRECTIVE, HCL_BREAKERS, PRE_ESCAPED, STEAL_SECRET } from "../fixtures/hostile-registry";
import { type EmulatedDeployment, type Emulator, planAgainstState, startEmulator } from "../support/emulator";
import { AwsClients, namesOf } from "../support/readback";

jest.setTimeout(300_000);

const FIXTURE = join(__dirname, "..", "fixtures", "hostile-registry.ts");
const REGION = "eu-west-1";
const SANDBOX = "sandbox";
const names = namesOf(hostile, SANDBOX);

let emulator: Emulator | undefined;
let aws: AwsClients | undefined;
let json: EmulatedDeployment;

beforeAll(async () => {
  emulator = await startEmulator("registry-text", REGION);
  aws = new AwsClients(emulator.endpoint, REGION);
  json = emulator.deployment("json");
  json.synth(FIXTURE);
  json.init(SANDBOX);
  await json.deployFromScratch(SANDBOX);
}, 300_000);

afterAll(async () => {
  aws?.destroy();
  await emulator?.stop();
});

test("API keys and secrets carry each client's description as written, and their tags as written", async () => {
  const keys = (await aws!.apiGateway.send(new GetApiKeysCommand({ limit: 500 }))).items ?? [];
  for (const client of hostile.clients) {
    const key = keys.find((k) => k.name === names.apiKey(client.key));
    const secret = await aws!.secrets.send(new DescribeSecretCommand({ SecretId: names.secret(client.key) }));
    const secretTags = Object.fromEntries((secret.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect({
      client: client.key,
      keyDescription: key?.description,
      keyOwnerTag: key?.tags?.["m2m:owner"],
      secretDescription: secret.Description,
      secretOwnerTag: secretTags["m2m:owner"],
    }).toEqual({
      client: client.key,
      keyDescription: client.description,
      keyOwnerTag: client.owner,
      secretDescription: `OAuth2 client credentials of ${client.key}: ${client.description}`,
      secretOwnerTag: client.owner,
    });
  }
  expect(hostile.clients.map((c) => c.description)).toEqual([STEAL_SECRET, DIRECTIVE, PRE_ESCAPED]);
});

test("the usage plan and the resource server's scopes carry their descriptions as written", async () => {
  const plans = (await aws!.apiGateway.send(new GetUsagePlansCommand({ limit: 500 }))).items ?? [];
  expect(plans.find((p) => p.name === names.usagePlan("basic"))?.description).toBe(`${DIRECTIVE} / ${PRE_ESCAPED}`);
  const pools = (await aws!.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? [];
  const poolId = pools.find((p) => p.Name === names.poolName)!.Id!;
  const server = await aws!.cognito.send(
    new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: "orders" }),
  );
  expect(server.ResourceServer?.Scopes).toEqual([
    { ScopeName: "read", ScopeDescription: STEAL_SECRET },
    { ScopeName: "write", ScopeDescription: DIRECTIVE },
  ]);
});

test("the mock integrations answer with their bodies as written, quotes, backslashes and line breaks included", async () => {
  const apis = (await aws!.apiGateway.send(new GetRestApisCommand({ limit: 500 }))).items ?? [];
  const restApiId = apis.find((a) => a.name === names.apiName)!.id!;
  const resources = (await aws!.apiGateway.send(new GetResourcesCommand({ restApiId, limit: 500 }))).items ?? [];
  const orders = resources.find((r) => r.path === "/orders")!.id!;
  const body = async (httpMethod: string) =>
    (
      await aws!.apiGateway.send(
        new GetIntegrationResponseCommand({ restApiId, resourceId: orders, httpMethod, statusCode: "200" }),
      )
    ).responseTemplates?.["application/json"];
  expect(await body("GET")).toBe(`{"note": ${JSON.stringify(HCL_BREAKERS)}, "steal": "${STEAL_SECRET}"}`);
  expect(await body("POST")).toBe(`${PRE_ESCAPED}\n${HCL_BREAKERS}`);
});

test("the HCL export of the same registry, planned against what the JSON applied, changes nothing", () => {
  // GIVEN the HCL export of the registry that the JSON stack applied
  const hcl = emulator!.deployment("hcl");
  hcl.synthHcl(FIXTURE);
  // WHEN planned against the JSON's state, without refreshing: moto's CreateAuthorizer dropped
  // identityValidationExpression, so the authorizer is the one thing that may differ from the
  // configuration; the registry's text is in every other resource
  const plan = planAgainstState(hcl, json, SANDBOX, emulator!.awsEnv, ["-refresh=false"]);
  // THEN Terraform finds nothing to change
  expect(plan).toEqual({ exit: 0, summary: "No changes.", stderr: "" });
});
