/**
 * Terraform addresses are a public API: a changed address is a destroy and a create, and for an app
 * client that means a new client id and secret for a partner. These tests pin the addresses and show
 * that adding, removing or reordering clients leaves every other client's resources untouched.
 */
import registry from "./fixtures/sample-registry";
import { addresses, resourcesOf, synthEnvironment, withClients } from "./support/synth";

const PER_CLIENT_TYPES = [
  "aws_api_gateway_api_key",
  "aws_api_gateway_usage_plan_key",
  "aws_cognito_user_pool_client",
  "aws_secretsmanager_secret",
  "aws_secretsmanager_secret_version",
];

const clientAddresses = (key: string) => PER_CLIENT_TYPES.map((type) => `${type}.${key}`);

test("the dev stack's addresses are exactly these (review any change here: it means destroy + create)", () => {
  const devClients = [
    "acme-billing",
    "globex-fulfilment",
    "initech-reports",
    "load-test-runner",
    "umbrella-sandbox",
    "warehouse-bot",
  ];
  const expected = [
    "aws_api_gateway_account.this",
    "aws_api_gateway_authorizer.access-token",
    "aws_api_gateway_deployment.api",
    "aws_api_gateway_integration.DELETE__orders___orderId_",
    "aws_api_gateway_integration.GET__inventory__items___sku_",
    "aws_api_gateway_integration.GET__orders",
    "aws_api_gateway_integration.GET__orders___orderId_",
    "aws_api_gateway_integration.GET__whoami",
    "aws_api_gateway_integration.POST__inventory__items___sku___reservations",
    "aws_api_gateway_integration.POST__orders",
    "aws_api_gateway_integration_response.GET__inventory__items___sku_",
    "aws_api_gateway_integration_response.POST__inventory__items___sku___reservations",
    "aws_api_gateway_method.DELETE__orders___orderId_",
    "aws_api_gateway_method.GET__inventory__items___sku_",
    "aws_api_gateway_method.GET__orders",
    "aws_api_gateway_method.GET__orders___orderId_",
    "aws_api_gateway_method.GET__whoami",
    "aws_api_gateway_method.POST__inventory__items___sku___reservations",
    "aws_api_gateway_method.POST__orders",
    "aws_api_gateway_method_response.GET__inventory__items___sku_",
    "aws_api_gateway_method_response.POST__inventory__items___sku___reservations",
    "aws_api_gateway_resource.inventory",
    "aws_api_gateway_resource.inventory__items",
    "aws_api_gateway_resource.inventory__items___sku_",
    "aws_api_gateway_resource.inventory__items___sku___reservations",
    "aws_api_gateway_resource.orders",
    "aws_api_gateway_resource.orders___orderId_",
    "aws_api_gateway_resource.whoami",
    "aws_api_gateway_rest_api.api",
    "aws_api_gateway_stage.api",
    "aws_api_gateway_usage_plan.bronze",
    "aws_api_gateway_usage_plan.gold",
    "aws_api_gateway_usage_plan.silver",
    "aws_cloudwatch_log_group.access-log",
    "aws_cloudwatch_log_group.authorizer-function",
    "aws_cloudwatch_log_group.whoami-function",
    "aws_cognito_resource_server.inventory",
    "aws_cognito_resource_server.orders",
    "aws_cognito_user_pool.pool",
    "aws_cognito_user_pool_domain.pool",
    "aws_iam_role.api-gateway-logging",
    "aws_iam_role.authorizer",
    "aws_iam_role.whoami",
    "aws_iam_role_policy.authorizer-write-logs",
    "aws_iam_role_policy.whoami-write-logs",
    "aws_iam_role_policy_attachment.api-gateway-logging",
    // globex-fulfilment has a consumer principal: its secret gets its own KMS key and a resource policy.
    "aws_kms_alias.globex-fulfilment",
    "aws_kms_key.globex-fulfilment",
    "aws_lambda_function.authorizer",
    "aws_lambda_function.whoami",
    "aws_lambda_permission.GET__whoami",
    "aws_lambda_permission.authorizer",
    "aws_secretsmanager_secret_policy.globex-fulfilment",
    ...devClients.flatMap(clientAddresses),
  ].sort();
  expect(addresses(synthEnvironment(registry, "dev").tf)).toEqual(expected);
});

test("GIVEN the clients in reverse order WHEN synthesized THEN the output is byte for byte the same", () => {
  const reversed = withClients(registry, [...registry.clients].reverse());
  for (const env of Object.keys(registry.environments)) {
    expect(synthEnvironment(reversed, env).json).toBe(synthEnvironment(registry, env).json);
  }
});

test("GIVEN a new client WHEN synthesized THEN only its five resources are new and every other resource is unchanged", () => {
  const before = synthEnvironment(registry, "dev").tf;
  const newcomer = { ...registry.clients[0], key: "newcomer", tier: "gold" as const };
  const after = synthEnvironment(withClients(registry, [newcomer, ...registry.clients]), "dev").tf;

  const added = addresses(after).filter((a) => !addresses(before).includes(a));
  expect(added).toEqual(clientAddresses("newcomer").sort());
  for (const [type, byName] of Object.entries(before.resource)) {
    for (const [name, body] of Object.entries(byName)) {
      expect({ address: `${type}.${name}`, body: resourcesOf(after, type)[name] }).toEqual({
        address: `${type}.${name}`,
        body,
      });
    }
  }
});

test("GIVEN a client removed WHEN synthesized THEN only its five resources are gone and every other resource is unchanged", () => {
  const before = synthEnvironment(registry, "dev").tf;
  const after = synthEnvironment(
    withClients(
      registry,
      registry.clients.filter((c) => c.key !== "initech-reports"),
    ),
    "dev",
  ).tf;

  const removed = addresses(before).filter((a) => !addresses(after).includes(a));
  expect(removed).toEqual(clientAddresses("initech-reports").sort());
  for (const [type, byName] of Object.entries(after.resource)) {
    for (const [name, body] of Object.entries(byName)) {
      expect({ address: `${type}.${name}`, body }).toEqual({
        address: `${type}.${name}`,
        body: resourcesOf(before, type)[name],
      });
    }
  }
});

test("GIVEN a client moved to another tier WHEN synthesized THEN only its plan key changes", () => {
  const before = synthEnvironment(registry, "dev").tf;
  const moved = registry.clients.map((c) => (c.key === "acme-billing" ? { ...c, tier: "gold" as const } : c));
  const after = synthEnvironment(withClients(registry, moved), "dev").tf;

  const changed = addresses(before).filter(
    (a) =>
      JSON.stringify(resourcesOf(after, a.split(".")[0])[a.split(".")[1]]) !==
      JSON.stringify(resourcesOf(before, a.split(".")[0])[a.split(".")[1]]),
  );
  // The API key and secret carry the tier as a tag (an in-place update); the app client is untouched.
  expect(changed).toEqual([
    "aws_api_gateway_api_key.acme-billing",
    "aws_api_gateway_usage_plan_key.acme-billing",
    "aws_secretsmanager_secret.acme-billing",
  ]);
  expect(resourcesOf(after, "aws_api_gateway_usage_plan_key")["acme-billing"].usage_plan_id).toBe(
    "${aws_api_gateway_usage_plan.gold.id}",
  );
});
