/**
 * Creates, straight through the AWS SDK, what `terraform apply` of an environment's stack would leave
 * behind for the operator CLIs to find: the user pool and app clients, the REST API, one usage plan per
 * tier, one API key per client in its tier's plan, and the credentials secret with the JSON the stack
 * writes. Names and tags are the stack's (`stacks/naming.ts`, `stacks/environment-stack.ts`,
 * `stacks/machine-client.ts`), so the CLIs cannot tell the difference, and no Terraform run is needed.
 */
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
} from "@aws-sdk/client-api-gateway";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { QuotaPeriod, Registry } from "../../config/schema";
import { awsNames, tokenUrl } from "../../model/names";

/** Dummy credentials for the emulator; the SDK signs requests with them and moto ignores them. */
export const EMULATOR_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/** SDK clients pointed at an emulator. */
export function emulatorClients(endpoint: string, region: string) {
  const config = { region, endpoint, credentials: EMULATOR_CREDENTIALS };
  return {
    apiGateway: new APIGatewayClient(config),
    cognito: new CognitoIdentityProviderClient(config),
    secretsManager: new SecretsManagerClient(config),
  };
}

/** What to leave out or add, to give the CLIs something to report. */
export interface SeedOptions {
  /** Clients of the environment that get nothing (config entry, no deployment). @default none */
  readonly skipClients?: readonly string[];
  /** API keys tagged for the environment whose client is not in the config. @default none */
  readonly orphanClientKeys?: readonly string[];
}

/** Ids of what was created. */
export interface SeededDeployment {
  readonly userPoolId: string;
  readonly restApiId: string;
  /** Usage plan id by tier. */
  readonly usagePlanIds: Record<string, string>;
  /** App client id by client key. */
  readonly clientIds: Record<string, string>;
  /** API key id by client key (orphans included). */
  readonly apiKeyIds: Record<string, string>;
  /** Credentials secret ARN by client key. */
  readonly secretArns: Record<string, string>;
}

/** Tags the provider's `default_tags` add to every resource. */
function defaultTags(project: string, environmentName: string) {
  return { "m2m:project": project, "m2m:environment": environmentName, "managed-by": "m2m-access" };
}

/** Seeds one environment of `registry` into the emulator at `endpoint`. */
export async function seedDeployment(
  registry: Registry,
  environmentName: string,
  endpoint: string,
  options: SeedOptions = {},
): Promise<SeededDeployment> {
  const project = registry.project ?? "m2m";
  const environment = registry.environments[environmentName];
  const { region, stageName } = environment;
  const aws = emulatorClients(endpoint, region);
  const prefix = `${project}-${environmentName}`;
  const baseTags = defaultTags(project, environmentName);
  const skip = new Set(options.skipClients ?? []);

  const pool = await aws.cognito.send(new CreateUserPoolCommand({ PoolName: prefix }));
  const userPoolId = pool.UserPool!.Id!;
  const api = await aws.apiGateway.send(new CreateRestApiCommand({ name: prefix, tags: { ...baseTags } }));
  const restApiId = api.id!;
  const apiBaseUrl = `https://${restApiId}.execute-api.${region}.amazonaws.com/${stageName}`;

  const usagePlanIds: Record<string, string> = {};
  for (const [tier, config] of Object.entries(registry.tiers)) {
    const plan = await aws.apiGateway.send(
      new CreateUsagePlanCommand({
        name: `${prefix}-${tier}`,
        description: config.description,
        throttle: { rateLimit: config.throttle.rateLimit, burstLimit: config.throttle.burstLimit },
        quota: { limit: config.quota.limit, period: config.quota.period as QuotaPeriod },
        tags: { ...baseTags, "m2m:tier": tier },
      }),
    );
    usagePlanIds[tier] = plan.id!;
  }

  const clientIds: Record<string, string> = {};
  const apiKeyIds: Record<string, string> = {};
  const secretArns: Record<string, string> = {};
  const clients = registry.clients.filter(
    (c) => (c.environments as readonly string[]).includes(environmentName) && !skip.has(c.key),
  );
  for (const client of clients) {
    const appClient = await aws.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: client.key,
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: [...client.scopes],
      }),
    );
    const clientId = appClient.UserPoolClient!.ClientId!;
    clientIds[client.key] = clientId;
    const tags = { ...baseTags, "m2m:client": client.key, "m2m:owner": client.owner, "m2m:tier": client.tier };
    const key = await aws.apiGateway.send(
      new CreateApiKeyCommand({ name: `${prefix}-clients-${client.key}`, value: clientId, enabled: true, tags }),
    );
    apiKeyIds[client.key] = key.id!;
    await aws.apiGateway.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: usagePlanIds[client.tier], keyId: key.id!, keyType: "API_KEY" }),
    );

    const secret = await aws.secretsManager.send(
      new CreateSecretCommand({
        Name: awsNames.credentialsSecret(project, environmentName, client.key),
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    secretArns[client.key] = secret.ARN!;
    // Terraform's jsonencode writes the keys sorted; so does this.
    const value = {
      api_base_url: apiBaseUrl,
      client_id: clientId,
      client_secret: appClient.UserPoolClient!.ClientSecret!,
      scopes: client.scopes.join(" "),
      token_url: tokenUrl(environment.cognitoDomainPrefix, region),
    };
    await aws.secretsManager.send(
      new PutSecretValueCommand({ SecretId: secret.ARN!, SecretString: JSON.stringify(value) }),
    );
  }

  for (const orphan of options.orphanClientKeys ?? []) {
    const key = await aws.apiGateway.send(
      new CreateApiKeyCommand({
        name: `${prefix}-clients-${orphan}`,
        enabled: true,
        tags: { ...baseTags, "m2m:client": orphan },
      }),
    );
    apiKeyIds[orphan] = key.id!;
  }
  return { userPoolId, restApiId, usagePlanIds, clientIds, apiKeyIds, secretArns };
}
