/**
 * `environments`: names, regions, accounts, stages, Cognito domains, logs, the authorizer cache and Terraform Cloud.
 */
import { addEnvironment, environmentNamed, problemLines, registryWith } from "./support";

describe("environments", () => {
  test("rejects an environment name that cannot be a stack name", () => {
    // GIVEN an environment named with a capital and a dash
    const registry = registryWith((r) => addEnvironment(r, "Qa-1", environmentNamed("test-m2m-qa")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the name is reported
    expect(lines).toEqual([
      'error: environments["Qa-1"].name: must be lower-case letters and digits, starting with a letter (it becomes a Terraform stack name and part of AWS resource names); got "Qa-1"',
    ]);
  });

  test("rejects a region that is not an AWS region name", () => {
    // GIVEN a region written as in the console's menu
    const registry = registryWith((r) => (r.environments.dev.region = "Europe (Ireland)"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the region is reported
    expect(lines).toEqual([
      `error: environments.dev.region: must be an AWS region such as "eu-west-1", one of those in model/aws-regions.ts (a region newer than that list goes in the registry's additionalRegions); got "Europe (Ireland)"`,
    ]);
  });

  test("rejects an account id that is not 12 digits", () => {
    // GIVEN an account id that lost its leading zeros by being written as a number
    const registry = registryWith((r) => (r.environments.dev.account = 12345678901));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the account is reported
    expect(lines).toEqual([
      "error: environments.dev.account: must be a 12-digit AWS account id, as a string; got 12345678901",
    ]);
  });

  test("rejects a stage name API Gateway does not accept", () => {
    // GIVEN a stage name with a space
    const registry = registryWith((r) => (r.environments.dev.stageName = "v 1"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the stage name is reported
    expect(lines).toEqual([
      'error: environments.dev.stageName: must be 1 to 128 letters, digits, "_" or "-"; got "v 1"',
    ]);
  });

  test("rejects a protected flag that is not a boolean", () => {
    // GIVEN `protected` written as a string
    const registry = registryWith((r) => (r.environments.prod.protected = "yes"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the flag is reported
    expect(lines).toEqual(['error: environments.prod.protected: must be true or false; got "yes"']);
  });

  test("rejects a Cognito domain prefix that is not a lower-case host label", () => {
    // GIVEN a prefix that starts with a hyphen
    const registry = registryWith((r) => (r.environments.dev.cognitoDomainPrefix = "-m2m-dev"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the prefix is reported
    expect(lines).toEqual([
      'error: environments.dev.cognitoDomainPrefix: must be 1 to 63 lower-case letters, digits or hyphens, not starting or ending with a hyphen; got "-m2m-dev"',
    ]);
  });

  test("rejects a Cognito domain prefix that contains a word Cognito reserves", () => {
    // GIVEN a prefix containing "cognito"
    const registry = registryWith((r) => (r.environments.dev.cognitoDomainPrefix = "acme-cognito-dev"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the prefix is reported
    expect(lines).toEqual([
      'error: environments.dev.cognitoDomainPrefix: must not contain "aws", "amazon" or "cognito" (Cognito reserves them); got "acme-cognito-dev"',
    ]);
  });

  test("rejects a domain prefix that another environment already uses in the same region", () => {
    // GIVEN prod with dev's prefix, both in eu-west-1
    const registry = registryWith((r) => (r.environments.prod.cognitoDomainPrefix = "test-m2m-dev"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later environment is reported
    expect(lines).toEqual([
      'error: environments.prod.cognitoDomainPrefix: must be unique within a region, but environments.dev already uses it in "eu-west-1"; got "test-m2m-dev"',
    ]);
  });

  test("accepts the same domain prefix in different regions", () => {
    // GIVEN prod with dev's prefix, but in another region
    const registry = registryWith((r) => {
      r.environments.prod.cognitoDomainPrefix = "test-m2m-dev";
      r.environments.prod.region = "us-east-1";
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN nothing is reported: Cognito domains are unique per region
    expect(lines).toEqual([]);
  });

  test("rejects a log retention CloudWatch does not offer", () => {
    // GIVEN a retention of 10 days
    const registry = registryWith((r) => (r.environments.dev.logRetentionDays = 10));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the retention is reported with the allowed values
    expect(lines).toEqual([
      "error: environments.dev.logRetentionDays: must be one of CloudWatch's retention periods 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 10",
    ]);
  });

  test("rejects an authorizer cache TTL beyond API Gateway's limit", () => {
    // GIVEN a two-hour cache
    const registry = registryWith((r) => (r.environments.prod.authorizerCacheTtlSeconds = 7200));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the TTL is reported
    expect(lines).toEqual([
      "error: environments.prod.authorizerCacheTtlSeconds: must be a whole number from 0 to 3600 (API Gateway's limit); got 7200",
    ]);
  });

  test("rejects an authorizer cache TTL longer than half the environment's shortest access token", () => {
    // GIVEN 15 minutes of cache in dev, where globex-orders' tokens last 30 minutes and acme-billing's 60
    const registry = registryWith((r) => (r.environments.dev.authorizerCacheTtlSeconds = 901));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the TTL is reported with the true bound it sets, naming the client with the shortest tokens
    expect(lines).toEqual([
      `error: environments.dev.authorizerCacheTtlSeconds: must be at most 900, half the shortest access-token validity of the environment (clients["globex-orders"] has 30-minute tokens): API Gateway keeps an answer for up to the TTL from a token's first use, so a token stays usable that long past its expiry or revocation, and partners refresh tokens that long before they expire; got 901`,
    ]);
    expect(problemLines(registryWith((r) => (r.environments.dev.authorizerCacheTtlSeconds = 900)))).toEqual([]);
  });

  test("rejects the default TTL where a client's tokens last 5 minutes, and says it is the default", () => {
    const registry = registryWith((r) => (r.clients[1].accessTokenValidityMinutes = 5));
    expect(problemLines(registry)).toEqual([
      `error: environments.dev.authorizerCacheTtlSeconds: must be at most 150, half the shortest access-token validity of the environment (clients["globex-orders"] has 5-minute tokens): API Gateway keeps an answer for up to the TTL from a token's first use, so a token stays usable that long past its expiry or revocation, and partners refresh tokens that long before they expire; got 300 (the default)`,
    ]);
  });

  test("accepts a TTL of 0, which turns the authorizer cache off", () => {
    expect(problemLines(registryWith((r) => (r.environments.prod.authorizerCacheTtlSeconds = 0)))).toEqual([]);
  });

  test.each([
    ["organization", { organization: "acme corp", workspace: "m2m-prod" }, '"acme corp"'],
    ["workspace", { organization: "acme", workspace: "m2m/prod" }, '"m2m/prod"'],
  ])("rejects a Terraform Cloud %s name that Terraform Cloud does not accept", (field, settings, given) => {
    // GIVEN a name with a character Terraform Cloud refuses
    const registry = registryWith((r) => (r.environments.prod.terraformCloud = settings));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the name is reported
    expect(lines).toEqual([
      `error: environments.prod.terraformCloud.${field}: must be 1 to 90 letters, digits, "_" or "-"; got ${given}`,
    ]);
  });

  test("rejects a Terraform Cloud host name written as a URL", () => {
    // GIVEN a host name with its scheme
    const registry = registryWith(
      (r) =>
        (r.environments.prod.terraformCloud = {
          organization: "acme",
          workspace: "m2m-prod",
          hostname: "https://tfe.acme.example",
        }),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the host name is reported
    expect(lines).toEqual([
      'error: environments.prod.terraformCloud.hostname: must be a host name such as "app.terraform.io", without scheme or path; got "https://tfe.acme.example"',
    ]);
  });

  test("rejects two environments that keep their state in the same Terraform Cloud workspace", () => {
    // GIVEN dev and prod pointed at one workspace (the default host and an explicit one are the same)
    const registry = registryWith((r) => {
      r.environments.dev.terraformCloud = { organization: "acme", workspace: "m2m" };
      r.environments.prod.terraformCloud = { organization: "acme", workspace: "m2m", hostname: "app.terraform.io" };
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later environment is reported
    expect(lines).toEqual([
      'error: environments.prod.terraformCloud.workspace: must differ from every other environment\'s (one state per workspace), but environments.dev already uses "acme/m2m" on app.terraform.io; got "m2m"',
    ]);
  });
});

describe("environments: what AWS and Terraform refuse", () => {
  test("rejects a region that does not exist, and names the way to allow one newer than the list", () => {
    const registry = registryWith((r) => (r.environments.dev.region = "eu-fake-9"));
    expect(problemLines(registry)).toEqual([
      `error: environments.dev.region: must be an AWS region such as "eu-west-1", one of those in model/aws-regions.ts (a region newer than that list goes in the registry's additionalRegions); got "eu-fake-9"`,
    ]);
  });

  test("accepts a region listed in the registry's additionalRegions", () => {
    const registry = registryWith((r) => {
      r.environments.dev.region = "eu-fake-9";
      r.additionalRegions = ["eu-fake-9"];
    });
    expect(problemLines(registry)).toEqual([]);
  });

  test("rejects a second environment managing the same account and region's API Gateway logging role", () => {
    // GIVEN dev and prod in one account and region, neither saying manageApiGatewayAccount: false
    const registry = registryWith((r) => {
      r.environments.dev.account = "111111111111";
      r.environments.prod.account = "111111111111";
    });
    // THEN the second is told to leave it to the first
    expect(problemLines(registry)).toEqual([
      "error: environments.prod.manageApiGatewayAccount: must be false: environments.dev already manages API Gateway's CloudWatch role for account 111111111111 in eu-west-1, and two stacks managing that one setting overwrite each other (destroying either breaks the other's access logs); got true (the default)",
    ]);
    // AND leaving it to the first is clean, as are two accounts
    const leftToDev = registryWith((r) => {
      r.environments.dev.account = "111111111111";
      r.environments.prod.account = "111111111111";
      r.environments.prod.manageApiGatewayAccount = false;
    });
    const twoAccounts = registryWith((r) => {
      r.environments.dev.account = "111111111111";
      r.environments.prod.account = "222222222222";
    });
    expect([problemLines(leftToDev), problemLines(twoAccounts)]).toEqual([[], []]);
  });

  test("rejects an environment whose AWS names would exceed AWS's limits, naming each", () => {
    // GIVEN an environment name that makes the authorizer's function and role names longer than 64 characters
    const name = "productioneuwestoneblueclusterfortestingandmorestuff";
    const registry = registryWith((r) => addEnvironment(r, name, environmentNamed("test-m2m-long")));
    // THEN one line names each name over its limit; whoami's (63 characters) fits
    expect(problemLines(registry)).toEqual([
      `error: environments.${name}.name: must keep the AWS names built from the project and this environment within AWS's limits, but the Lambda function name "m2m-${name}-authorizer" is 67 characters (AWS allows 64), the IAM role name "m2m-${name}-authorizer" is 67 characters (AWS allows 64), the IAM role name "m2m-${name}-api-gateway-logging" is 76 characters (AWS allows 64): shorten the project, the environment name, its stage or tier names; got "${name}"`,
    ]);
  });

  test("rejects a Terraform Cloud project name Terraform Cloud would refuse", () => {
    const registry = registryWith(
      (r) =>
        (r.environments.prod.terraformCloud = {
          organization: "acme",
          workspace: "m2m-prod",
          project: " Machine Access",
        }),
    );
    expect(problemLines(registry)).toEqual([
      `error: environments.prod.terraformCloud.project: must be 3 to 40 letters, digits, spaces, "-" or "_", not starting or ending with a space (Terraform Cloud's project names); got " Machine Access"`,
    ]);
  });
});

describe("environments: client shards", () => {
  test.each([
    [0, "0"],
    [1.5, "1.5"],
    [33, "33"],
    ["3", '"3"'],
  ])("rejects clientShards %p, naming the range", (value, shown) => {
    const registry = registryWith((r) => (r.environments.dev.clientShards = value));
    expect(problemLines(registry)).toEqual([
      `error: environments.dev.clientShards: must be a whole number from 1 to 32 (1: every client in the environment's own stack); got ${shown}`,
    ]);
  });

  test("accepts 1 and 32, and a workspace that leaves room for the shards' names", () => {
    const registry = registryWith((r) => {
      r.environments.dev.clientShards = 1;
      r.environments.prod.clientShards = 32;
      r.environments.prod.terraformCloud = { organization: "acme", workspace: "w".repeat(79) };
    });
    expect(problemLines(registry)).toEqual([]);
  });

  test("rejects a pinned workspace too long for its shards' workspace names", () => {
    const registry = registryWith((r) => {
      r.environments.prod.clientShards = 12;
      r.environments.prod.terraformCloud = { organization: "acme", workspace: "w".repeat(80) };
    });
    expect(problemLines(registry)).toEqual([
      `error: environments.prod.terraformCloud.workspace: must leave room for the client shards' workspace names ("${"w".repeat(80)}-clients-11" is 91 characters, Terraform Cloud allows 90); got "${"w".repeat(80)}"`,
    ]);
  });

  test("rejects a workspace that another environment's shard already uses", () => {
    const registry = registryWith((r) => {
      r.environments.dev.clientShards = 2;
      r.environments.dev.terraformCloud = { organization: "acme", workspace: "m2m" };
      r.environments.prod.terraformCloud = { organization: "acme", workspace: "m2m-clients-1" };
    });
    expect(problemLines(registry)).toEqual([
      'error: environments.prod.terraformCloud.workspace: must differ from every other environment\'s (one state per workspace), but environments.dev already uses "acme/m2m-clients-1" on app.terraform.io; got "m2m-clients-1"',
    ]);
  });
});
