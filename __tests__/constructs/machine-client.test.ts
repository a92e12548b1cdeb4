/**
 * `MachineClient` alone in a bare stack, with the usage plan it joins: the five resources of one
 * machine user, and the three more a consumer in another account adds.
 */
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { deployingAccount } from "../../stacks/client-secret-access";
import { MachineClient, type MachineClientProps } from "../../stacks/machine-client";
import { addresses, ref, synthConstruct } from "../support/synth";

type ClientProps = Omit<MachineClientProps, "usagePlan">;

const PROPS: ClientProps = {
  clientKey: "acme-billing",
  description: "ACME reconciles orders nightly",
  userPoolId: "eu-west-1_pool",
  scopes: ["orders/read", "orders/write"],
  accessTokenValidityMinutes: 30,
  appClientName: "acme-billing",
  apiKeyName: "m2m-dev-clients-acme-billing",
  secretName: "m2m/dev/clients/acme-billing",
  kmsAliasName: "alias/m2m/dev/clients/acme-billing",
  tokenUrl: "https://acme-m2m-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
  apiBaseUrl: "https://api.example.com/v1",
  tags: { "m2m:client": "acme-billing" },
};

/** The client in a bare stack beside the `basic` plan; `consumers` adds consumer access from this stack's account. */
function synthClient(props: ClientProps, consumers?: readonly string[]) {
  return synthConstruct((stack) => {
    const usagePlan = new ApiGatewayUsagePlan(stack, "plan", { name: "m2m-dev-basic" });
    usagePlan.overrideLogicalId("basic");
    const consumerAccess = consumers && {
      principals: consumers,
      region: "eu-west-1",
      account: deployingAccount(stack),
    };
    return new MachineClient(stack, "client", { ...props, usagePlan, consumerAccess });
  });
}

describe("a client without consumers", () => {
  const { tf } = synthClient(PROPS);
  const r = tf.resource;

  test("GIVEN no consumer WHEN constructed THEN its five resources share the client's key as address, and nothing else is made", () => {
    expect(addresses(tf).filter((a) => !a.endsWith(".basic"))).toEqual([
      "aws_api_gateway_api_key.acme-billing",
      "aws_api_gateway_usage_plan_key.acme-billing",
      "aws_cognito_user_pool_client.acme-billing",
      "aws_secretsmanager_secret.acme-billing",
      "aws_secretsmanager_secret_version.acme-billing",
    ]);
    expect(tf.data).toBeUndefined();
  });

  test("THEN the app client may only use client_credentials for its own scopes, with revocable tokens", () => {
    expect(r.aws_cognito_user_pool_client["acme-billing"]).toMatchObject({
      user_pool_id: "eu-west-1_pool",
      generate_secret: true,
      allowed_oauth_flows: ["client_credentials"],
      allowed_oauth_scopes: ["orders/read", "orders/write"],
      explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      access_token_validity: 30,
      enable_token_revocation: true,
    });
  });

  test("THEN the API key's value is the app client's id, and the plan key joins that key to the tier's plan", () => {
    expect(r.aws_api_gateway_api_key["acme-billing"].value).toBe(
      ref("aws_cognito_user_pool_client.acme-billing", "id"),
    );
    expect(r.aws_api_gateway_usage_plan_key["acme-billing"]).toEqual({
      key_id: ref("aws_api_gateway_api_key.acme-billing", "id"),
      key_type: "API_KEY",
      usage_plan_id: ref("aws_api_gateway_usage_plan.basic", "id"),
    });
  });

  test("THEN the secret keeps the AWS-managed key, and its version is written once per app client, never read back", () => {
    expect(r.aws_secretsmanager_secret["acme-billing"]).toEqual({
      name: "m2m/dev/clients/acme-billing",
      description: "OAuth2 client credentials of acme-billing: ACME reconciles orders nightly",
      recovery_window_in_days: 30,
      tags: { "m2m:client": "acme-billing" },
    });
    const version = r.aws_secretsmanager_secret_version["acme-billing"];
    expect(Object.keys(version).sort()).toEqual(["secret_id", "secret_string_wo", "secret_string_wo_version"]);
    expect(version.secret_id).toBe(ref("aws_secretsmanager_secret.acme-billing", "id"));
    expect(version.secret_string_wo_version).toBe(
      "${parseint(substr(sha256(aws_cognito_user_pool_client.acme-billing.id), 0, 12), 16)}",
    );
    expect(version.secret_string_wo).toContain("aws_cognito_user_pool_client.acme-billing.client_secret");
  });
});

describe("a client with consumers in other accounts", () => {
  // GIVEN an account id (twice) and a role of another account
  const { tf } = synthClient(PROPS, ["210987654321", "arn:aws:iam::111122223333:role/reader", "210987654321"]);

  test("WHEN constructed THEN a key, its alias and a secret policy join the five, and the secret uses that key", () => {
    expect(addresses(tf).filter((a) => !a.endsWith(".basic"))).toHaveLength(8);
    expect(Object.keys(tf.resource.aws_kms_key)).toEqual(["acme-billing"]);
    expect(tf.resource.aws_kms_alias["acme-billing"].target_key_id).toBe(ref("aws_kms_key.acme-billing", "key_id"));
    expect(tf.resource.aws_secretsmanager_secret["acme-billing"].kms_key_id).toBe(
      ref("aws_kms_key.acme-billing", "arn"),
    );
    expect(tf.resource.aws_secretsmanager_secret_policy["acme-billing"].secret_arn).toBe(
      ref("aws_secretsmanager_secret.acme-billing", "arn"),
    );
  });

  test("THEN the consumers are named once each, sorted, an account id as that account's root", () => {
    const readers = tf.data!.aws_iam_policy_document["acme-billing-secret-policy"].statement[0].principals;
    expect(readers).toEqual([
      { type: "AWS", identifiers: ["arn:aws:iam::111122223333:role/reader", "arn:aws:iam::210987654321:root"] },
    ]);
  });
});
