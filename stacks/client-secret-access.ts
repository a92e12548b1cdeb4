/**
 * Read access for a client's consumer (another AWS account or role) to exactly that client's
 * credentials secret, and nothing else: a customer-managed KMS key per such client, whose policy lets
 * the consumer decrypt only through Secrets Manager and only for that secret, and a resource policy on
 * the secret that lets the consumer read it. Secrets of clients without consumers keep the AWS-managed
 * key, which no other account can use.
 */
import { ACCOUNT_ID } from "../model/aws-limits";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { terraformText, terraformTextMap } from "../model/terraform-text";

/** Actions a consumer gets on its client's secret: read the value and see what the secret is. */
export const CONSUMER_SECRET_ACTIONS = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"] as const;

/** Days a scheduled key deletion can be cancelled: the longest KMS allows. */
const KEY_DELETION_WINDOW_DAYS = 30;
/** Secrets Manager appends a hyphen and six random characters to a secret's name in its ARN. */
const SECRET_ARN_SUFFIX = "-??????";

/** The deploying account, as Terraform learns it at plan time. */
export interface DeployingAccount {
  readonly accountId: string;
  readonly partition: string;
  /** `arn:<partition>:iam::<account>:root`: administers the keys, as in KMS's default key policy. */
  readonly rootArn: string;
}

/**
 * The deploying account of `scope`'s stack, from `data.aws_caller_identity.current` and
 * `data.aws_partition.current`, created on first use so stacks without consumers read nothing.
 */
export function deployingAccount(scope: Construct): DeployingAccount {
  const stack = TerraformStack.of(scope);
  const identity =
    (stack.node.tryFindChild("caller-identity") as DataAwsCallerIdentity | undefined) ??
    withLogicalId(new DataAwsCallerIdentity(stack, "caller-identity"), "current");
  const partition =
    (stack.node.tryFindChild("partition") as DataAwsPartition | undefined) ??
    withLogicalId(new DataAwsPartition(stack, "partition"), "current");
  return {
    accountId: identity.accountId,
    partition: partition.partition,
    rootArn: `arn:${partition.partition}:iam::${identity.accountId}:root`,
  };
}

function withLogicalId<T extends { overrideLogicalId(id: string): void }>(construct: T, logicalId: string): T {
  construct.overrideLogicalId(logicalId);
  return construct;
}

/** A consumer as an IAM principal: an account id means that account's root (any principal it allows). */
export function consumerPrincipalArn(principal: string): string {
  return ACCOUNT_ID.test(principal) ? `arn:aws:iam::${principal}:root` : principal;
}

/** Consumers as sorted, distinct principal ARNs, so reordering the config changes nothing. */
function principalArns(principals: readonly string[]): string[] {
  return [...new Set(principals.map(consumerPrincipalArn))].sort();
}

/** Props of {@link ClientSecretKey}. */
export interface ClientSecretKeyProps {
  /** The client's stable key: the Terraform address of the key and its alias. */
  readonly clientKey: string;
  /** Alias name, such as `alias/m2m/dev/clients/acme-billing`. */
  readonly aliasName: string;
  /** Name of the secret the key encrypts: the key decrypts for that secret only. */
  readonly secretName: string;
  /** Region of the secret (Secrets Manager calls KMS from `secretsmanager.<region>.amazonaws.com`). */
  readonly region: string;
  /** Account ids or IAM ARNs that may read the secret. */
  readonly consumerPrincipals: readonly string[];
  /** The deploying account, whose root administers the key. */
  readonly account: DeployingAccount;
  /**
   * Tags of the key (client key, owner, environment, tier).
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The customer-managed key of one client's secret. The key policy cannot name the secret by
 * reference (the secret names the key: a cycle), so it names it by ARN pattern: the secret's name
 * followed by the six characters Secrets Manager appends, which no other secret's ARN matches.
 */
export class ClientSecretKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: ClientSecretKeyProps) {
    super(scope, id);
    const secretArn = `arn:${props.account.partition}:secretsmanager:${props.region}:${props.account.accountId}:secret:${terraformText(props.secretName)}${SECRET_ARN_SUFFIX}`;

    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AccountAdministersKey",
          principals: [{ type: "AWS", identifiers: [props.account.rootArn] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "ConsumersDecryptThisSecretThroughSecretsManager",
          principals: [{ type: "AWS", identifiers: principalArns(props.consumerPrincipals) }],
          actions: ["kms:Decrypt"],
          resources: ["*"],
          condition: [
            {
              test: "StringEquals",
              variable: "kms:ViaService",
              values: [`secretsmanager.${props.region}.amazonaws.com`],
            },
            { test: "StringLike", variable: "kms:EncryptionContext:SecretARN", values: [secretArn] },
          ],
        },
      ],
    });
    policy.overrideLogicalId(`${props.clientKey}-key-policy`);

    this.key = new KmsKey(this, "key", {
      description: terraformText(`Encrypts the credentials secret ${props.secretName} for its consumers`),
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: policy.json,
      tags: terraformTextMap(props.tags),
    });
    this.key.overrideLogicalId(props.clientKey);

    this.alias = new KmsAlias(this, "alias", { name: terraformText(props.aliasName), targetKeyId: this.key.keyId });
    this.alias.overrideLogicalId(props.clientKey);
  }
}

/** Props of {@link ClientSecretPolicy}. */
export interface ClientSecretPolicyProps {
  /** The client's stable key: the Terraform address of the policy. */
  readonly clientKey: string;
  /** The client's credentials secret. */
  readonly secret: SecretsmanagerSecret;
  /** Account ids or IAM ARNs that may read the secret. */
  readonly consumerPrincipals: readonly string[];
}

/** The resource policy that lets a client's consumers read that client's secret, and only that. */
export class ClientSecretPolicy extends Construct {
  readonly policy: SecretsmanagerSecretPolicy;

  constructor(scope: Construct, id: string, props: ClientSecretPolicyProps) {
    super(scope, id);
    const document = new DataAwsIamPolicyDocument(this, "document", {
      statement: [
        {
          sid: "ConsumersReadThisSecret",
          principals: [{ type: "AWS", identifiers: principalArns(props.consumerPrincipals) }],
          actions: [...CONSUMER_SECRET_ACTIONS],
          resources: [props.secret.arn],
        },
      ],
    });
    document.overrideLogicalId(`${props.clientKey}-secret-policy`);

    this.policy = new SecretsmanagerSecretPolicy(this, "policy", {
      secretArn: props.secret.arn,
      policy: document.json,
      // Secrets Manager refuses a policy that would make the secret readable by anyone.
      blockPublicPolicy: true,
    });
    this.policy.overrideLogicalId(props.clientKey);
  }
}
