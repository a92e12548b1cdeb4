/**
 * `npm run credentials`: everything it reads (user pool, app client, REST API, secret) moto
 * implements, so the whole command runs against moto. `--reveal` is tested in process with an
 * injected TTY flag and end to end under a pseudo-terminal (`script` from util-linux).
 */
import { CognitoIdentityProviderClient, UpdateUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { credentialsCommand } from "../scripts/credentials";
import { captureCommand } from "./support/cli-output";
import { operatorSandbox } from "./support/operator-sandbox";

jest.setTimeout(120_000);

const REPO_ROOT = resolve(__dirname, "..");

const sandbox = operatorSandbox("credentials", {
  // A scope change merged but not yet applied: the deployed client still has only orders/read.
  prepare: async ({ aws, seeded }) => {
    await aws.cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: seeded.userPoolId,
        ClientId: seeded.clientIds["warehouse-bot"],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: ["orders/read"],
      }),
    );
  },
});

function run(argv: string[], isTTY: boolean) {
  return captureCommand((output) => credentialsCommand(argv, output, isTTY));
}

/** The AWSCURRENT client secret of a seeded client, for comparisons that never print it. */
async function seededSecret(clientKey: string): Promise<string> {
  const sm = sandbox.aws.secretsManager;
  const value = await sm.send(new GetSecretValueCommand({ SecretId: sandbox.seeded.secretArns[clientKey] }));
  return JSON.parse(value.SecretString!).client_secret;
}

describe("credentials against moto", () => {
  test("GIVEN a deployed client WHEN credentials runs THEN it prints what the partner needs and no secret", async () => {
    const result = await run(["acme-billing", "--env", "dev", "--endpoint-url", sandbox.endpoint], false);
    const arn = sandbox.seeded.secretArns["acme-billing"];
    expect(result).toEqual({
      code: 0,
      err: [],
      out: [
        "Credentials of acme-billing in dev (eu-west-1)",
        "  token URL      https://ops-m2m-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
        "  grant          client_credentials, HTTP Basic auth with client id and secret",
        `  client id      ${sandbox.seeded.clientIds["acme-billing"]}`,
        "  scopes         orders/read",
        `  API base URL   https://${sandbox.seeded.restApiId}.execute-api.eu-west-1.amazonaws.com/v1`,
        "  token refresh  at least 300 s before expires_in (the API's authorizer cache TTL; the token client's refreshMarginSeconds)",
        `  secret ARN     ${arn}`,
        `  read secret    aws secretsmanager get-secret-value --region eu-west-1 --secret-id ${arn} --query SecretString --output text`,
      ],
    });
    expect(result.out.join("\n").includes(await seededSecret("acme-billing"))).toBe(false);
  });

  test("GIVEN config scopes not yet deployed THEN both the deployed and the config scopes are shown", async () => {
    const result = await run(["warehouse-bot", "--env", "dev", "--endpoint-url", sandbox.endpoint], false);
    expect(result.out.filter((l) => l.includes("scopes"))).toEqual([
      "  scopes         orders/read",
      "  config scopes  orders/write (not deployed yet)",
    ]);
  });

  test("--reveal on a terminal adds the AWSCURRENT client secret", async () => {
    const result = await run(
      ["globex-fulfilment", "--env", "dev", "--reveal", "--endpoint-url", sandbox.endpoint],
      true,
    );
    expect(result.code).toBe(0);
    const secretLine = result.out[result.out.length - 1];
    expect(secretLine.startsWith("  client secret  ")).toBe(true);
    expect(secretLine === `  client secret  ${await seededSecret("globex-fulfilment")}`).toBe(true);
  });

  test("--reveal without a terminal is refused in one line before any AWS call", async () => {
    const send = jest.spyOn(SecretsManagerClient.prototype, "send");
    const cognitoSend = jest.spyOn(CognitoIdentityProviderClient.prototype, "send");
    try {
      const result = await run(
        ["globex-fulfilment", "--env", "dev", "--reveal", "--endpoint-url", sandbox.endpoint],
        false,
      );
      expect(result).toEqual({
        code: 1,
        out: [],
        err: [
          "error: --reveal prints the client secret only to a terminal, and stdout is not one; use the 'read secret' command to pipe it",
        ],
      });
      expect(send).not.toHaveBeenCalled();
      expect(cognitoSend).not.toHaveBeenCalled();
    } finally {
      send.mockRestore();
      cognitoSend.mockRestore();
    }
  });

  test.each([
    [
      ["umbrella-sandbox", "--env", "dev"],
      1,
      'error: no app client named "umbrella-sandbox" in user pool USER_POOL: is umbrella-sandbox deployed to dev?',
    ],
    [
      ["initech-reports", "--env", "prod"],
      2,
      'error: client "initech-reports" is not deployed to prod (its environments: dev)',
    ],
    [["nobody", "--env", "dev"], 2, 'error: no client "nobody" in the registry'],
    [
      ["--env", "dev"],
      2,
      "error: expected one client key, got 0 (usage: npm run credentials -- <client> --env <env> [--reveal] [--endpoint-url URL])",
    ],
  ])("%j exits %i with one line", async (argv, code, line) => {
    const result = await run([...argv, "--endpoint-url", sandbox.endpoint], false);
    expect(result).toEqual({ code, out: [], err: [line.replace("USER_POOL", sandbox.seeded.userPoolId)] });
  });
});

describe("the CLI process, under a pseudo-terminal and through a pipe", () => {
  const childEnv = () => ({ ...process.env, AWS_ENDPOINT_URL: sandbox.endpoint });
  const command = [
    join(REPO_ROOT, "node_modules", ".bin", "tsx"),
    join(REPO_ROOT, "scripts", "credentials.ts"),
    "globex-fulfilment",
    "--env",
    "dev",
    "--reveal",
  ];

  test("through a pipe, --reveal is refused with exit 1 and nothing on stdout", () => {
    const result = spawnSync(command[0], command.slice(1), {
      cwd: REPO_ROOT,
      env: childEnv(),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr.trim().split("\n") }).toEqual({
      status: 1,
      stdout: "",
      stderr: [
        "error: --reveal prints the client secret only to a terminal, and stdout is not one; use the 'read secret' command to pipe it",
      ],
    });
  });

  test("on a pseudo-terminal, --reveal prints the secret (AWS_ENDPOINT_URL honoured by the SDK)", async () => {
    const probe = spawnSync("script", ["--version"], { encoding: "utf8" });
    if (probe.error)
      throw new Error("`script` (util-linux) is needed for the pseudo-terminal test: apt-get install bsdutils");
    const result = spawnSync("script", ["-qec", command.map((a) => `'${a}'`).join(" "), "/dev/null"], {
      cwd: REPO_ROOT,
      env: childEnv(),
      encoding: "utf8",
      timeout: 60_000,
    });
    const lines = result.stdout.replace(/\r/g, "").trim().split("\n");
    expect({
      status: result.status,
      first: lines[0],
      labels: lines.slice(1).map((l) => l.trim().split("  ")[0]),
    }).toEqual({
      status: 0,
      first: "Credentials of globex-fulfilment in dev (eu-west-1)",
      labels: [
        "token URL",
        "grant",
        "client id",
        "scopes",
        "API base URL",
        "token refresh",
        "secret ARN",
        "read secret",
        "client secret",
      ],
    });
    expect(lines[lines.length - 1] === `  client secret  ${await seededSecret("globex-fulfilment")}`).toBe(true);
  });
});
