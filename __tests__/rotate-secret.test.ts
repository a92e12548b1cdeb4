/**
 * `npm run rotate-secret`: Secrets Manager, the user pool and the app clients are moto's; Cognito's
 * client-secret API (Add/List/DeleteUserPoolClientSecret), which moto 5.2 lacks, is answered at the SDK
 * boundary by a fake that keeps Cognito's rules (two secrets at most, never delete the last one).
 */
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";
import { TerraformStack, Testing } from "cdktf";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { environmentContext } from "../scripts/lib/environment-context";
import { finishRotation, startRotation } from "../scripts/lib/secret-rotation";
import { rotateSecretCommand } from "../scripts/rotate-secret";
import defaultRegistry from "./fixtures/sample-registry";
import { MachineClient } from "../stacks/machine-client";
import { emulatorAwsEnv, Plan } from "./support/emulator";
import { resourcesOf, synthEnvironment } from "./support/synth";
import { requireTerraform, runTerraform, terraform } from "./support/terraform";
import { FakeClientSecrets } from "./support/fake-client-secrets";
import { passThrough, realSend } from "./support/sdk-passthrough";
import registry from "./fixtures/operator-registry";
import { captureCommand } from "./support/cli-output";
import { OPERATOR_REGION, operatorSandbox } from "./support/operator-sandbox";

jest.setTimeout(120_000);

const REGION = OPERATOR_REGION;

let cognitoStub: AwsStub<any, any, any>;
const fake = new FakeClientSecrets();
/** The secret each app client was created with (what the stack wrote into the first version). */
const originalSecrets: Record<string, string> = {};

const sandbox = operatorSandbox("rotate", {
  // Cognito's client-secret calls go to the fake; everything else of Cognito to moto.
  prepare: async ({ aws, seeded }) => {
    for (const [clientKey, clientId] of Object.entries(seeded.clientIds)) {
      const value = await aws.secretsManager.send(
        new GetSecretValueCommand({ SecretId: seeded.secretArns[clientKey] }),
      );
      originalSecrets[clientKey] = JSON.parse(value.SecretString!).client_secret;
      fake.addAppClient(clientId, originalSecrets[clientKey]);
    }
    const send = realSend(CognitoIdentityProviderClient, aws.cognito);
    cognitoStub = mockClient(CognitoIdentityProviderClient);
    passThrough(cognitoStub, send, [ListUserPoolsCommand, ListUserPoolClientsCommand, DescribeUserPoolClientCommand]);
    fake.install(cognitoStub);
  },
});

afterAll(() => cognitoStub?.restore());

function rotate(...argv: string[]) {
  return captureCommand((output) => rotateSecretCommand([...argv, "--endpoint-url", sandbox.endpoint], output));
}

/** Staging labels by version id, oldest version first (moto lists them in creation order). */
async function labels(clientKey: string): Promise<[string, string[]][]> {
  const sm = sandbox.aws.secretsManager;
  const listed = await sm.send(
    new ListSecretVersionIdsCommand({ SecretId: sandbox.seeded.secretArns[clientKey], IncludeDeprecated: true }),
  );
  return (listed.Versions ?? []).map((v) => [v.VersionId!, [...(v.VersionStages ?? [])].sort()]);
}

async function valueAt(clientKey: string, stage: string): Promise<Record<string, string>> {
  const sm = sandbox.aws.secretsManager;
  const value = await sm.send(
    new GetSecretValueCommand({ SecretId: sandbox.seeded.secretArns[clientKey], VersionStage: stage }),
  );
  return JSON.parse(value.SecretString!);
}

/** Fake requests since `from`, with client ids shortened to the client key. */
function requestsSince(from: number): string[] {
  const byId = Object.entries(sandbox.seeded.clientIds);
  return fake.requests.slice(from).map((r) => byId.reduce((line, [key, id]) => line.split(id).join(key), r));
}

describe("a full rotation of acme-billing, twice", () => {
  const key = "acme-billing";
  let firstRotationSecretId: string;

  test("start adds a second Cognito secret, makes it AWSCURRENT and keeps the old one as AWSPREVIOUS", async () => {
    const [[terraformVersion]] = await labels(key);
    const from = fake.requests.length;
    const result = await rotate(key, "--env", "dev");

    const clientId = sandbox.seeded.clientIds[key];
    const [oldId, newId] = fake.ids(clientId);
    firstRotationSecretId = newId;
    const versions = await labels(key);
    const newVersion = versions[1][0];
    expect(versions).toEqual([
      [terraformVersion, ["AWSPREVIOUS", "m2m-terraform"]],
      [newVersion, ["AWSCURRENT"]],
    ]);
    expect(result).toEqual({
      code: 0,
      err: [],
      out: [
        `Rotation of acme-billing in dev started: app client ${clientId} now has two working secrets.`,
        `  new secret  ${newId}  in AWSCURRENT (version ${newVersion})`,
        `  old secret  ${oldId}  in AWSPREVIOUS (version ${terraformVersion}), works until --finish`,
        `  secret ARN  ${sandbox.seeded.secretArns[key]}`,
        `  Terraform's version ${terraformVersion} is pinned with the m2m-terraform label so the next apply leaves it alone`,
        "When the partner uses the new secret (it re-reads the secret before its next token request), run:",
        "  npm run rotate-secret -- acme-billing --env dev --finish",
      ],
    });
    expect(requestsSince(from)).toEqual(["List acme-billing", "Add acme-billing"]);

    const current = await valueAt(key, "AWSCURRENT");
    const { client_secret: newSecret, ...currentFields } = current;
    expect(currentFields).toEqual({
      api_base_url: `https://${sandbox.seeded.restApiId}.execute-api.eu-west-1.amazonaws.com/v1`,
      client_id: clientId,
      client_secret_id: newId,
      scopes: "orders/read",
      token_url: "https://ops-m2m-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
    });
    // Compared, never printed.
    expect(fake.accepts(clientId, newSecret)).toBe(true);
    expect(newSecret === originalSecrets[key]).toBe(false);
    expect((await valueAt(key, "AWSPREVIOUS")).client_secret === originalSecrets[key]).toBe(true);
    expect(fake.accepts(clientId, originalSecrets[key])).toBe(true);
  });

  test("a second start is refused while two secrets are active, and changes nothing", async () => {
    const before = await labels(key);
    const from = fake.requests.length;
    const result = await rotate(key, "--env", "dev");
    expect(result).toEqual({
      code: 1,
      out: [],
      err: [
        `error: a rotation of acme-billing is already under way: app client ${sandbox.seeded.clientIds[key]} has 2 active secrets; finish it with --finish first`,
      ],
    });
    expect(requestsSince(from)).toEqual(["List acme-billing"]);
    expect(await labels(key)).toEqual(before);
  });

  test("--finish deletes the secret AWSCURRENT does not hold", async () => {
    const clientId = sandbox.seeded.clientIds[key];
    const [oldId] = fake.ids(clientId);
    const from = fake.requests.length;
    const result = await rotate(key, "--env", "dev", "--finish");
    expect(result).toEqual({
      code: 0,
      err: [],
      out: [
        `Rotation of acme-billing in dev finished: app client ${clientId} has one secret again.`,
        `  deleted secret  ${oldId}`,
        `  kept secret     ${firstRotationSecretId}  (AWSCURRENT of ${sandbox.seeded.secretArns[key]})`,
        "Tokens issued with the old secret stay valid until they expire; new token requests with it fail with invalid_client.",
      ],
    });
    expect(requestsSince(from)).toEqual(["List acme-billing", `Delete acme-billing ${oldId.replace(clientId, key)}`]);
    expect(fake.ids(clientId)).toEqual([firstRotationSecretId]);
    expect(fake.accepts(clientId, originalSecrets[key])).toBe(false);
    expect(fake.accepts(clientId, (await valueAt(key, "AWSCURRENT")).client_secret)).toBe(true);
  });

  test("--finish again is refused: there is nothing to finish", async () => {
    const from = fake.requests.length;
    expect(await rotate(key, "--env", "dev", "--finish")).toEqual({
      code: 1,
      out: [],
      err: [
        `error: nothing to finish: app client ${sandbox.seeded.clientIds[key]} of acme-billing has 1 active secret`,
      ],
    });
    expect(requestsSince(from)).toEqual(["List acme-billing"]);
  });

  test("a second rotation keeps the stack's version labelled (never deprecated) and finishes by the recorded secret id", async () => {
    const [[terraformVersion], [firstRotationVersion]] = await labels(key);
    const started = await rotate(key, "--env", "dev");
    expect(started.code).toBe(0);
    expect(started.out.some((l) => l.includes("pinned"))).toBe(false);
    const versions = await labels(key);
    expect(versions.map(([, stages]) => stages)).toEqual([["m2m-terraform"], ["AWSPREVIOUS"], ["AWSCURRENT"]]);
    expect(versions.slice(0, 2).map(([id]) => id)).toEqual([terraformVersion, firstRotationVersion]);

    const finished = await rotate(key, "--env", "dev", "--finish");
    expect(finished.out[1]).toBe(`  deleted secret  ${firstRotationSecretId}`);
    expect(fake.ids(sandbox.seeded.clientIds[key])).toEqual([(await valueAt(key, "AWSCURRENT")).client_secret_id]);
  });
});

describe("failures leave partners working", () => {
  test("GIVEN Secrets Manager refuses the new version THEN the new Cognito secret is deleted again and AWSCURRENT is untouched", async () => {
    const key = "globex-fulfilment";
    const clientId = sandbox.seeded.clientIds[key];
    const send = realSend(SecretsManagerClient, sandbox.aws.secretsManager);
    const smStub = mockClient(SecretsManagerClient);
    try {
      passThrough(smStub, send, [
        DescribeSecretCommand,
        GetSecretValueCommand,
        ListSecretVersionIdsCommand,
        UpdateSecretVersionStageCommand,
      ]);
      smStub.on(PutSecretValueCommand).rejects(
        new SecretsManagerServiceException({
          name: "AccessDeniedException",
          message: "not allowed to use the KMS key",
          $fault: "client",
          $metadata: {},
        }),
      );
      const from = fake.requests.length;
      const result = await rotate(key, "--env", "dev");
      const addedId = requestsSince(from).length === 3 ? fake.requests[fake.requests.length - 1].split(" ")[2] : "";
      expect(result).toEqual({
        code: 1,
        out: [],
        err: [
          "error: could not write the new secret to Secrets Manager (AccessDeniedException: not allowed to use the KMS key); removed it from Cognito again, the credentials are unchanged",
        ],
      });
      expect(requestsSince(from)).toEqual([
        "List globex-fulfilment",
        "Add globex-fulfilment",
        `Delete globex-fulfilment ${addedId.replace(clientId, key)}`,
      ]);
      expect(fake.ids(clientId)).toHaveLength(1);
    } finally {
      smStub.restore();
    }
    expect((await valueAt(key, "AWSCURRENT")).client_secret === originalSecrets[key]).toBe(true);
  });

  test("GIVEN AWSCURRENT names a Cognito secret the app client no longer has THEN --finish deletes nothing", async () => {
    const key = "initech-reports";
    const clientId = sandbox.seeded.clientIds[key];
    expect((await rotate(key, "--env", "dev")).code).toBe(0);
    const current = await valueAt(key, "AWSCURRENT");
    const sm = sandbox.aws.secretsManager;
    await sm.send(
      new PutSecretValueCommand({
        SecretId: sandbox.seeded.secretArns[key],
        SecretString: JSON.stringify({ ...current, client_secret_id: `${clientId}--1` }),
      }),
    );
    const from = fake.requests.length;
    expect(await rotate(key, "--env", "dev", "--finish")).toEqual({
      code: 1,
      out: [],
      err: [
        `error: AWSCURRENT of ${sandbox.seeded.secretArns[key]} holds Cognito secret ${clientId}--1, which app client ${clientId} no longer has: partners reading it fail already; fix the secret first, nothing deleted`,
      ],
    });
    expect(requestsSince(from)).toEqual(["List initech-reports"]);
    expect(fake.ids(clientId)).toHaveLength(2);
  });

  test("GIVEN a start that died after Cognito added its secret THEN --finish removes that unreadable secret and keeps the original", async () => {
    const key = "warehouse-bot";
    const clientId = sandbox.seeded.clientIds[key];
    const cognito = sandbox.aws.cognito;
    await cognito.send(
      new AddUserPoolClientSecretCommand({ UserPoolId: sandbox.seeded.userPoolId, ClientId: clientId }),
    );
    const [originalId, orphanId] = fake.ids(clientId);
    const result = await rotate(key, "--env", "dev", "--finish");
    expect(result.code).toBe(0);
    expect(result.out.slice(1, 3)).toEqual([
      `  deleted secret  ${orphanId}`,
      `  kept secret     ${originalId}  (AWSCURRENT of ${sandbox.seeded.secretArns[key]})`,
    ]);
    expect(fake.accepts(clientId, originalSecrets[key])).toBe(true);
  });
});

describe("command line", () => {
  test.each([
    [
      ["--env", "dev"],
      2,
      "error: expected one client key, got 0 (usage: npm run rotate-secret -- <client> --env <env> [--finish] [--endpoint-url URL])",
    ],
    [
      ["umbrella-sandbox", "--env", "dev"],
      1,
      'error: no app client named "umbrella-sandbox" in user pool POOL: is umbrella-sandbox deployed to dev?',
    ],
    [
      ["acme-billing", "--env", "dev", "--force"],
      2,
      "error: Unknown option '--force' (usage: npm run rotate-secret -- <client> --env <env> [--finish] [--endpoint-url URL])",
    ],
  ])("%j exits %i with one line", async (argv, code, line) => {
    expect(await rotate(...argv)).toEqual({ code, out: [], err: [line.replace("POOL", sandbox.seeded.userPoolId)] });
  });
});

describe("Terraform leaves a rotated secret alone (provider 5.100)", () => {
  test("GIVEN the synthesized stack THEN every secret version writes its credentials write-only, versioned by its app client's id, and pins no stages", () => {
    const { tf } = synthEnvironment(defaultRegistry, "dev");
    const versions = resourcesOf(tf, "aws_secretsmanager_secret_version");
    const clientKeys = defaultRegistry.clients
      .filter((c) => (c.environments as readonly string[]).includes("dev"))
      .map((c) => c.key);
    expect(Object.keys(versions).sort()).toEqual([...clientKeys].sort());
    for (const key of clientKeys) {
      const { secret_string_wo: written, ...rest } = versions[key];
      expect({ key, rest }).toEqual({
        key,
        rest: {
          secret_id: `\${aws_secretsmanager_secret.${key}.id}`,
          secret_string_wo_version: `\${parseint(substr(sha256(aws_cognito_user_pool_client.${key}.id), 0, 12), 16)}`,
        },
      });
      expect(written).toContain(`"client_secret" = aws_cognito_user_pool_client.${key}.client_secret`);
    }
  });

  /** A stack with just what a client's secret hangs off: a pool, a usage plan and one MachineClient. */
  function probeStack(tokenUrl: string): string {
    const app = Testing.app();
    const stack = new TerraformStack(app, "probe");
    new AwsProvider(stack, "aws", { region: REGION });
    const pool = new CognitoUserPool(stack, "pool", { name: "tfprobe-dev" });
    const plan = new ApiGatewayUsagePlan(stack, "plan", { name: "tfprobe-dev-gold" });
    new MachineClient(stack, "client", {
      clientKey: "acme-billing",
      description: "rotation probe",
      userPoolId: pool.id,
      scopes: ["orders/read"],
      accessTokenValidityMinutes: 60,
      usagePlan: plan,
      appClientName: "acme-billing",
      apiKeyName: "tfprobe-dev-clients-acme-billing",
      secretName: "tfprobe/dev/clients/acme-billing",
      kmsAliasName: "alias/tfprobe/dev/clients/acme-billing",
      tokenUrl,
      apiBaseUrl: "https://probe.execute-api.eu-west-1.amazonaws.com/v1",
      secretRecoveryWindowDays: 0,
      tags: { "m2m:client": "acme-billing", "m2m:environment": "dev" },
    });
    return Testing.synth(stack);
  }

  test("GIVEN an applied client WHEN its secret is rotated and finished THEN the next plan changes nothing; a new app client still gets a new version", async () => {
    requireTerraform();
    const dir = join(sandbox.logDir, "terraform-probe");
    mkdirSync(dir, { recursive: true });
    const env = emulatorAwsEnv(sandbox.endpoint, REGION, dir);
    const tf = (args: string[]) => terraform(dir, args, env, { timeoutMs: 180_000 });
    const planExitCode = () =>
      runTerraform(dir, ["plan", "-input=false", "-no-color", "-detailed-exitcode"], env, { timeoutMs: 180_000 })
        .status;
    const synth = (tokenUrl: string) => writeFileSync(join(dir, "main.tf.json"), probeStack(tokenUrl));

    synth("https://probe-dev.auth.eu-west-1.amazoncognito.com/oauth2/token");
    tf(["init", "-input=false", "-no-color"]);
    tf(["apply", "-input=false", "-no-color", "-auto-approve"]);
    expect(planExitCode()).toBe(0);
    // The state holds the client secret once, in the app client: never in the secret version.
    const appliedSecret = JSON.parse(
      (
        await sandbox.aws.secretsManager.send(
          new GetSecretValueCommand({ SecretId: "tfprobe/dev/clients/acme-billing" }),
        )
      ).SecretString!,
    ).client_secret as string;
    expect(appliedSecret.length).toBeGreaterThanOrEqual(20);
    expect(statePathsHolding(JSON.parse(tf(["show", "-json", "-no-color"]).stdout), appliedSecret)).toEqual([
      "aws_cognito_user_pool_client.acme-billing.client_secret",
    ]);
    expect(readFileSync(join(dir, "terraform.tfstate"), "utf8").split(appliedSecret)).toHaveLength(2);

    // The rotation the CLI runs, against the resources Terraform just created.
    const context = environmentContext({ ...registry, project: "tfprobe" }, "dev");
    const aws = sandbox.aws;
    const applied = await aws.secretsManager.send(
      new GetSecretValueCommand({ SecretId: "tfprobe/dev/clients/acme-billing" }),
    );
    const { client_id: clientId, client_secret: original } = JSON.parse(applied.SecretString!);
    fake.addAppClient(clientId, original);
    const clients = { cognito: aws.cognito, secretsManager: aws.secretsManager };
    const started = await startRotation({ context, clientKey: "acme-billing" }, clients);
    expect(started.pinnedTerraformVersionId).toBe(applied.VersionId);
    // AWSCURRENT moved to a version Terraform did not write, its own version is AWSPREVIOUS + pinned.
    expect(planExitCode()).toBe(0);
    await finishRotation({ context, clientKey: "acme-billing" }, clients);
    expect(planExitCode()).toBe(0);

    // Whatever the stack would now write (moto cannot make client_secret read back empty as Cognito
    // does after --finish, so a changed token URL stands in for it), the version stays: Terraform
    // never compares a write-only value.
    synth("https://probe-renamed.auth.eu-west-1.amazoncognito.com/oauth2/token");
    expect(planExitCode()).toBe(0);

    // A replaced app client is a new client id: then the secret must follow, and it does.
    tf(["plan", "-input=false", "-no-color", "-replace=aws_cognito_user_pool_client.acme-billing", "-out=tfplan"]);
    const shown = JSON.parse(tf(["show", "-json", "-no-color", "tfplan"]).stdout);
    expect(new Plan(shown.resource_changes ?? []).changes()).toEqual([
      "aws_api_gateway_api_key.acme-billing replace",
      "aws_api_gateway_usage_plan_key.acme-billing replace",
      "aws_cognito_user_pool_client.acme-billing replace",
      "aws_secretsmanager_secret_version.acme-billing replace",
    ]);
  }, 300_000);
});

/** Every `address.attribute` path of `terraform show -json` state whose value contains `needle`. */
function statePathsHolding(
  shown: { values?: { root_module?: { resources?: { address: string; values: unknown }[] } } },
  needle: string,
): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      if (value.includes(needle)) found.push(path);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
    }
  };
  for (const resource of shown.values?.root_module?.resources ?? []) walk(resource.values, resource.address);
  return found.sort();
}
