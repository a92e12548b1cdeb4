import { ApiGatewayApiKey } from "@cdktf/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayUsagePlanKey } from "@cdktf/provider-aws/lib/api-gateway-usage-plan-key";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { terraformText, terraformTextMap } from "../model/terraform-text";
import { DEFAULT_SECRET_RECOVERY_WINDOW_DAYS } from "../model/defaults";
import { ClientSecretKey, ClientSecretPolicy, type DeployingAccount } from "./client-secret-access";

/** Props of {@link MachineClient}. */
export interface MachineClientProps {
  /** The client's stable key; every Terraform address of the client is derived from it. */
  readonly clientKey: string;
  /** One-line description, shown on the API key and secret. */
  readonly description: string;
  /** The user pool the app client belongs to. */
  readonly userPoolId: string;
  /** Full scopes, each a reference to its resource server (see `MachineUserPool.scopeReference`). */
  readonly scopes: readonly string[];
  /** Access-token validity in minutes. */
  readonly accessTokenValidityMinutes: number;
  /** The usage plan of the client's tier. */
  readonly usagePlan: ApiGatewayUsagePlan;
  /** Name of the Cognito app client (`awsNames.appClient`). */
  readonly appClientName: string;
  /** Name of the API key (`awsNames.apiKey`). */
  readonly apiKeyName: string;
  /** Name of the credentials secret in Secrets Manager (`awsNames.credentialsSecret`). */
  readonly secretName: string;
  /** Alias of the consumer key, when there are consumers (`awsNames.kmsAlias`). */
  readonly kmsAliasName: string;
  /** Token endpoint, written into the credentials secret. */
  readonly tokenUrl: string;
  /** API base URL, written into the credentials secret. */
  readonly apiBaseUrl: string;
  /**
   * Days Secrets Manager keeps a deleted secret recoverable (0 deletes at once, so a removed client
   * can be added back in a test environment without waiting).
   * @default 30
   */
  readonly secretRecoveryWindowDays?: number;
  /**
   * Tags of the API key, the secret and its KMS key (client key, owner, environment, tier).
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Principals outside this account (account ids or IAM ARNs) that may read the secret: it then gets
   * a customer-managed KMS key they may decrypt with, and a resource policy that lets them read it.
   * @default - none: the AWS-managed key and no resource policy
   */
  readonly consumerAccess?: {
    readonly principals: readonly string[];
    /** Region of the secret. */
    readonly region: string;
    /** The deploying account (see `deployingAccount`). */
    readonly account: DeployingAccount;
  };
}

/**
 * One machine user: a Cognito app client that may only use the client_credentials grant, an API key
 * whose value is the app client's id (the authorizer returns that id as `usageIdentifierKey`, so the
 * partner never handles the key), its place in the tier's usage plan, and a secret with everything
 * the partner needs to call the API.
 */
export class MachineClient extends Construct {
  readonly appClient: CognitoUserPoolClient;
  readonly apiKey: ApiGatewayApiKey;
  readonly planKey: ApiGatewayUsagePlanKey;
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: MachineClientProps) {
    super(scope, id);
    const address = props.clientKey;
    const tags = terraformTextMap(props.tags);

    this.appClient = new CognitoUserPoolClient(this, "app-client", {
      name: terraformText(props.appClientName),
      userPoolId: props.userPoolId,
      generateSecret: true,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ["client_credentials"],
      allowedOauthScopes: [...props.scopes],
      supportedIdentityProviders: ["COGNITO"],
      // No user sign-in flows: the pool has no users, and a machine never holds a refresh token.
      explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      accessTokenValidity: props.accessTokenValidityMinutes,
      tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
      enableTokenRevocation: true,
      preventUserExistenceErrors: "ENABLED",
      // A create-time flag the API never reports back: an imported app client (a client moved to
      // another shard, `npm run reshard`) reads as null, and a plan would replace it, with a new client
      // id and secret. It is always true here and cannot change in place, so there is nothing to track.
      lifecycle: { ignoreChanges: ["generate_secret"] },
    });
    this.appClient.overrideLogicalId(address);

    this.apiKey = new ApiGatewayApiKey(this, "api-key", {
      name: terraformText(props.apiKeyName),
      description: terraformText(props.description),
      // Equal to the client id, so the authorizer needs no table from client to key.
      value: this.appClient.id,
      enabled: true,
      tags,
    });
    this.apiKey.overrideLogicalId(address);

    this.planKey = new ApiGatewayUsagePlanKey(this, "plan-key", {
      keyId: this.apiKey.id,
      keyType: "API_KEY",
      usagePlanId: props.usagePlan.id,
    });
    this.planKey.overrideLogicalId(address);

    const consumers =
      props.consumerAccess && props.consumerAccess.principals.length > 0 ? props.consumerAccess : undefined;
    // Adding consumers later only sets kms_key_id on the secret: an in-place update, not a new secret.
    const consumerKey = consumers
      ? new ClientSecretKey(this, "consumer-key", {
          clientKey: props.clientKey,
          aliasName: props.kmsAliasName,
          secretName: props.secretName,
          region: consumers.region,
          consumerPrincipals: consumers.principals,
          account: consumers.account,
          tags,
        })
      : undefined;

    this.secret = new SecretsmanagerSecret(this, "credentials", {
      name: terraformText(props.secretName),
      description: terraformText(`OAuth2 client credentials of ${props.clientKey}: ${props.description}`),
      recoveryWindowInDays: props.secretRecoveryWindowDays ?? DEFAULT_SECRET_RECOVERY_WINDOW_DAYS,
      kmsKeyId: consumerKey?.key.arn,
      tags,
    });
    this.secret.overrideLogicalId(address);

    if (consumers) {
      new ClientSecretPolicy(this, "consumer-policy", {
        clientKey: props.clientKey,
        secret: this.secret,
        consumerPrincipals: consumers.principals,
      });
    }

    const version = new SecretsmanagerSecretVersion(this, "credentials-value", {
      secretId: this.secret.id,
      // Write-only (Terraform >= 1.11): the client secret is kept in state once, by the app client,
      // never a second time here. Terraform neither stores nor compares a write-only value; it writes
      // one when the version is created, and creates a new version only when the number below
      // changes. That number derives from the app client's id, so a new app client (new id, new
      // secret) gets a new version and nothing else does: not the later versions `npm run
      // rotate-secret` writes itself, nor the emptied `client_secret` after `--finish`.
      // See docs/secret-rotation-internals.md.
      secretStringWo: Fn.jsonencode({
        client_id: this.appClient.id,
        client_secret: this.appClient.clientSecret,
        token_url: props.tokenUrl,
        scopes: props.scopes.join(" "),
        api_base_url: props.apiBaseUrl,
      }),
      secretStringWoVersion: writeOnceVersionOf(this.appClient.id),
    });
    version.overrideLogicalId(address);
  }
}

/**
 * A write-only value's version that changes exactly when `id` does: the first 48 bits of its SHA-256
 * as a number (an int64 to the provider), so two app clients share one by chance once in 2^48.
 */
function writeOnceVersionOf(id: string): number {
  return Fn.parseint(Fn.substr(Fn.sha256(id), 0, WRITE_ONCE_VERSION_HEX_DIGITS), 16);
}

/** 12 hex digits: 48 bits, well inside the provider's int64 and a JSON number's exact range. */
const WRITE_ONCE_VERSION_HEX_DIGITS = 12;
