/**
 * Client shards as synthesized: which stack a client lands in, what the platform stack keeps, how a
 * shard reaches the platform (cross-stack references through `terraform_remote_state`), where each
 * keeps its state, and the blocks a client move adds. One stack per environment stays as it was.
 */
import type { ClientMove } from "../config/client-moves";
import type { Registry } from "../config/schema";
import {
  clientShardStackName,
  environmentStackNames,
  shardOfClient,
  shardOfStack,
  stackOfClient,
} from "../model/shards";
import { minimalRegistry } from "./fixtures/minimal-registry";
import { addresses, synthApp, synthEnvironment } from "./support/synth";

/** The minimal fixture with dev's clients over three shards: acme-billing in 0, globex-orders in 1, 2 empty. */
const SHARDED: Registry = {
  ...minimalRegistry,
  environments: { ...minimalRegistry.environments, dev: { ...minimalRegistry.environments.dev, clientShards: 3 } },
};

const REMOTE = "data.terraform_remote_state.cross-stack-reference-input-dev.outputs";

describe("the shard of a client", () => {
  test("GIVEN fixed keys THEN the shard is the first 32 bits of the key's SHA-256 modulo the count, pinned", () => {
    expect(
      ["acme-billing", "globex-orders", "alpha-orders", "bravo-fulfilment", "charlie-stock"].map((key) =>
        shardOfClient(key, 3),
      ),
    ).toEqual([0, 1, 0, 1, 0]);
    expect(shardOfClient("acme-billing", 1)).toBe(0);
  });

  test("GIVEN 4,000 keys over 4 shards THEN each shard holds between 900 and 1,100", () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4_000; i += 1) counts[shardOfClient(`partner-${i}`, 4)] += 1;
    expect(counts.every((count) => count >= 900 && count <= 1_100)).toBe(true);
  });

  test("GIVEN one shard THEN a client stays in the environment's own stack; GIVEN three THEN in its shard's", () => {
    expect(stackOfClient("dev", "globex-orders", 1)).toBe("dev");
    expect(stackOfClient("dev", "globex-orders", 3)).toBe("dev-clients-1");
    expect(environmentStackNames("dev", 3)).toEqual(["dev", "dev-clients-0", "dev-clients-1", "dev-clients-2"]);
    expect([
      shardOfStack("dev", clientShardStackName("dev", 12)),
      shardOfStack("dev", "dev"),
      shardOfStack("dev", "dev-clients-01"),
    ]).toEqual([12, undefined, undefined]);
  });
});

describe("a sharded environment", () => {
  // GIVEN dev with three client shards WHEN the app is synthesized
  const stacks = synthApp(SHARDED);
  const platform = stacks.dev;

  test("THEN it has a platform stack and three shards; prod, unsharded, is one stack as before", () => {
    expect(Object.keys(stacks)).toEqual(["dev", "dev-clients-0", "dev-clients-1", "dev-clients-2", "prod"]);
    expect(addresses(stacks.prod)).toEqual(addresses(synthEnvironment(SHARDED, "prod").tf));
    expect(addresses(stacks.prod)).toHaveLength(addresses(synthEnvironment(minimalRegistry, "prod").tf).length);
  });

  test("THEN the platform stack holds no client, and the tiers' plans stay there, shared by every shard", () => {
    expect(addresses(platform).filter((a) => /acme-billing|globex-orders/.test(a))).toEqual([]);
    expect(Object.keys(platform.resource.aws_api_gateway_usage_plan)).toEqual(["basic", "premium"]);
    expect(Object.keys(platform.output!)).not.toContain("client_credentials_secret_arns");
  });

  test("THEN each shard holds exactly the resources of its clients, at the addresses they had in one stack", () => {
    const clientAddresses = (stack: string) => addresses(stacks[stack]);
    expect(clientAddresses("dev-clients-0")).toEqual([
      "aws_api_gateway_api_key.acme-billing",
      "aws_api_gateway_usage_plan_key.acme-billing",
      "aws_cognito_user_pool_client.acme-billing",
      "aws_secretsmanager_secret.acme-billing",
      "aws_secretsmanager_secret_version.acme-billing",
    ]);
    expect(clientAddresses("dev-clients-1")).toHaveLength(8);
    expect(stacks["dev-clients-2"].resource).toBeUndefined();
    expect(Object.keys(stacks["dev-clients-0"].output!)).toEqual(["client_credentials_secret_arns"]);
  });

  test("THEN a shard reads the pool, the tier's plan and the API's URL from the platform's state", () => {
    const shard = stacks["dev-clients-0"];
    expect(shard.data!.terraform_remote_state["cross-stack-reference-input-dev"]).toEqual({
      backend: "local",
      config: { path: "../../../terraform-state/dev.tfstate" },
      workspace: "${terraform.workspace}",
    });
    const appClient = shard.resource.aws_cognito_user_pool_client["acme-billing"];
    expect(appClient.user_pool_id).toBe(`\${${REMOTE}.cross-stack-output-aws_cognito_user_poolpoolid}`);
    expect(appClient.allowed_oauth_scopes).toEqual([
      `\${${REMOTE}.cross-stack-output-aws_cognito_resource_serverordersidentifier}/read`,
    ]);
    expect(shard.resource.aws_api_gateway_usage_plan_key["acme-billing"].usage_plan_id).toBe(
      `\${${REMOTE}.cross-stack-output-aws_api_gateway_usage_planbasicid}`,
    );
    expect(
      Object.keys(platform.output!)
        .filter((name) => name.startsWith("cross-stack-output-"))
        .sort(),
    ).toEqual([
      "cross-stack-output-aws_api_gateway_stageapiinvoke_url",
      "cross-stack-output-aws_api_gateway_usage_planbasicid",
      "cross-stack-output-aws_api_gateway_usage_planpremiumid",
      "cross-stack-output-aws_cognito_resource_serverordersidentifier",
      "cross-stack-output-aws_cognito_user_poolpoolid",
    ]);
  });

  test("THEN each shard keeps its own local state, named after its stack", () => {
    expect(stacks["dev-clients-1"].terraform.backend).toEqual({
      local: { path: "../../../terraform-state/dev-clients-1.tfstate" },
    });
  });

  test("GIVEN Terraform Cloud THEN each shard is a workspace named after its stack, and reads the platform's workspace", () => {
    const cloud = synthApp(SHARDED, {
      processEnv: { TF_CLOUD_ORGANIZATION: "acme", TF_CLOUD_PROJECT: "Machine Access" },
    });
    expect(cloud["dev-clients-2"].terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { name: "m2m-dev-clients-2", project: "Machine Access" },
    });
    expect(cloud["dev-clients-0"].data!.terraform_remote_state["cross-stack-reference-input-dev"]).toEqual({
      backend: "remote",
      config: { hostname: "app.terraform.io", organization: "acme", workspaces: { name: "m2m-dev" } },
    });
  });
});

describe("client moves", () => {
  const move: ClientMove = {
    client: "globex-orders",
    from: "dev",
    to: "dev-clients-1",
    imports: {
      "aws_cognito_user_pool_client.globex-orders": "eu-west-1_pool/client-id",
      "aws_api_gateway_api_key.globex-orders": "key-id",
    },
    forget: ["aws_cognito_user_pool_client.globex-orders", "aws_api_gateway_api_key.globex-orders"],
  };

  test("GIVEN a move from the platform stack to a shard THEN the shard imports by id and the platform forgets, never destroys", () => {
    const stacks = synthApp(SHARDED, { clientMoves: new Map([["dev", [move]]]) });
    expect(stacks["dev-clients-1"].import).toEqual([
      { to: "aws_cognito_user_pool_client.globex-orders", id: "eu-west-1_pool/client-id" },
      { to: "aws_api_gateway_api_key.globex-orders", id: "key-id" },
    ]);
    expect(stacks.dev.removed).toEqual([
      { from: "aws_cognito_user_pool_client.globex-orders", lifecycle: { destroy: false } },
      { from: "aws_api_gateway_api_key.globex-orders", lifecycle: { destroy: false } },
    ]);
    expect(stacks["dev-clients-0"].import).toBeUndefined();
  });

  test("GIVEN a move back from a shard the count no longer has THEN that shard is built empty, only to forget", () => {
    const back: ClientMove = { ...move, from: "dev-clients-1", to: "dev" };
    const stacks = synthApp(minimalRegistry, { clientMoves: new Map([["dev", [back]]]) });
    expect(Object.keys(stacks)).toEqual(["dev", "dev-clients-1", "prod"]);
    expect(stacks["dev-clients-1"].resource).toBeUndefined();
    expect(stacks["dev-clients-1"].removed).toHaveLength(2);
    expect(stacks.dev.import).toHaveLength(2);
  });
});
