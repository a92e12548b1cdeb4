/**
 * The consumer-access pieces alone in a bare stack: the deploying account read once per stack, a KMS
 * key only the secret's consumers may decrypt with (through Secrets Manager, for that secret), and the
 * secret's resource policy.
 */
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import {
  ClientSecretKey,
  ClientSecretPolicy,
  consumerPrincipalArn,
  deployingAccount,
} from "../../stacks/client-secret-access";
import { addresses, dataAddresses, ref, synthConstruct } from "../support/synth";

const PARTITION = ref("data.aws_partition.current", "partition");
const ACCOUNT = ref("data.aws_caller_identity.current", "account_id");

// GIVEN one key and one policy for a client read by a role of another account
const { tf } = synthConstruct((stack) => {
  const account = deployingAccount(stack);
  const secret = new SecretsmanagerSecret(stack, "secret", { name: "m2m/dev/clients/acme-billing" });
  secret.overrideLogicalId("acme-billing");
  const consumerPrincipals = ["arn:aws:iam::111122223333:role/reader"];
  new ClientSecretKey(stack, "key", {
    clientKey: "acme-billing",
    aliasName: "alias/m2m/dev/clients/acme-billing",
    secretName: "m2m/dev/clients/acme-billing",
    region: "eu-west-1",
    consumerPrincipals,
    account: deployingAccount(stack),
  });
  new ClientSecretPolicy(stack, "policy", { clientKey: "acme-billing", secret, consumerPrincipals });
  return account;
});
const documents = tf.data!.aws_iam_policy_document;

test("WHEN the deploying account is asked for twice THEN the stack reads it once", () => {
  expect(dataAddresses(tf)).toEqual([
    "data.aws_caller_identity.current",
    "data.aws_iam_policy_document.acme-billing-key-policy",
    "data.aws_iam_policy_document.acme-billing-secret-policy",
    "data.aws_partition.current",
  ]);
  expect(addresses(tf)).toEqual([
    "aws_kms_alias.acme-billing",
    "aws_kms_key.acme-billing",
    "aws_secretsmanager_secret.acme-billing",
    "aws_secretsmanager_secret_policy.acme-billing",
  ]);
});

test("THEN the key is administered by the account and rotated, and deletion can be cancelled for 30 days", () => {
  expect(tf.resource.aws_kms_key["acme-billing"]).toEqual({
    description: "Encrypts the credentials secret m2m/dev/clients/acme-billing for its consumers",
    enable_key_rotation: true,
    deletion_window_in_days: 30,
    policy: ref("data.aws_iam_policy_document.acme-billing-key-policy", "json"),
  });
  expect(documents["acme-billing-key-policy"].statement[0]).toEqual({
    sid: "AccountAdministersKey",
    principals: [{ type: "AWS", identifiers: [`arn:${PARTITION}:iam::${ACCOUNT}:root`] }],
    actions: ["kms:*"],
    resources: ["*"],
  });
});

test("THEN the consumer may decrypt only through Secrets Manager in the region, and only this secret", () => {
  expect(documents["acme-billing-key-policy"].statement[1]).toEqual({
    sid: "ConsumersDecryptThisSecretThroughSecretsManager",
    principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111122223333:role/reader"] }],
    actions: ["kms:Decrypt"],
    resources: ["*"],
    condition: [
      { test: "StringEquals", variable: "kms:ViaService", values: ["secretsmanager.eu-west-1.amazonaws.com"] },
      {
        test: "StringLike",
        variable: "kms:EncryptionContext:SecretARN",
        values: [`arn:${PARTITION}:secretsmanager:eu-west-1:${ACCOUNT}:secret:m2m/dev/clients/acme-billing-??????`],
      },
    ],
  });
});

test("THEN the secret's policy lets the consumer read and describe it, and refuses to be made public", () => {
  expect(documents["acme-billing-secret-policy"].statement).toEqual([
    {
      sid: "ConsumersReadThisSecret",
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111122223333:role/reader"] }],
      actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      resources: [ref("aws_secretsmanager_secret.acme-billing", "arn")],
    },
  ]);
  expect(tf.resource.aws_secretsmanager_secret_policy["acme-billing"].block_public_policy).toBe(true);
});

test.each([
  ["an account id", "210987654321", "arn:aws:iam::210987654321:root"],
  ["a role ARN", "arn:aws:iam::210987654321:role/reader", "arn:aws:iam::210987654321:role/reader"],
  ["eleven digits (not an account id)", "21098765432", "21098765432"],
])("GIVEN %s WHEN made a principal THEN it is %s", (_, principal, arn) => {
  expect(consumerPrincipalArn(principal)).toBe(arn);
});
