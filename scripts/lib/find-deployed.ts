/**
 * Finds what the stack deployed for an environment, by the names and tags the stack gives it (see
 * `stacks/naming.ts` and `stacks/environment-stack.ts`), never by guessing ids.
 *
 * - Usage plans: `GetUsagePlans`, paged; a plan counts when its name is `<project>-<env>-<tier>` for
 *   a tier of the registry AND its `m2m:environment` tag names the environment (names alone could
 *   collide with another project's plans in a shared account).
 * - API keys: `GetApiKeys` with `includeValues: false`, paged; a key counts when its name is
 *   `<project>-<env>-clients-<key>` and its `m2m:environment` and `m2m:client` tags match. Key values
 *   (the client ids) are never fetched: the report needs the key's id, which `GetUsage` is keyed by.
 * - App clients: `ListUserPools` (paged) for the pool named `<project>-<env>`, then
 *   `ListUserPoolClients` (paged) for the client named by its key. Reading the id from the API
 *   key's value would also work, but fetches key values the report otherwise never needs.
 * - Credentials secret: `DescribeSecret` by its name `<project>/<env>/clients/<key>`.
 */
import {
  type APIGatewayClient,
  type ApiKey,
  type RestApi,
  type UsagePlan,
  paginateGetApiKeys,
  paginateGetRestApis,
  paginateGetUsagePlanKeys,
  paginateGetUsagePlans,
} from "@aws-sdk/client-api-gateway";
import {
  type CognitoIdentityProviderClient,
  paginateListUserPoolClients,
  paginateListUserPools,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  DescribeSecretCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { CliError, NotDeployedError } from "./errors";
import { TAG_KEYS } from "../../model/names";
import { type EnvironmentContext, contextNames } from "./environment-context";

/** API Gateway's largest page for the list calls used here. */
const API_GATEWAY_PAGE_SIZE = 500;
/** Cognito's largest page for `ListUserPools` / `ListUserPoolClients`. */
const COGNITO_PAGE_SIZE = 60;

/** The deployed usage plan of each tier that has one, by tier name. */
export async function findUsagePlans(
  apiGateway: APIGatewayClient,
  context: EnvironmentContext,
): Promise<Map<string, UsagePlan>> {
  const byName = new Map(
    Object.keys(context.registry.tiers).map((tier) => [contextNames.usagePlan(context, tier), tier]),
  );
  const plans = new Map<string, UsagePlan>();
  for await (const page of paginateGetUsagePlans({ client: apiGateway, pageSize: API_GATEWAY_PAGE_SIZE }, {})) {
    for (const plan of page.items ?? []) {
      const tier = plan.name ? byName.get(plan.name) : undefined;
      if (!tier || plan.tags?.[TAG_KEYS.environment] !== context.environmentName) continue;
      if (plans.has(tier)) {
        throw new CliError(
          `two usage plans are named ${JSON.stringify(plan.name)} and tagged ${TAG_KEYS.environment}=${context.environmentName}; remove the stray one`,
        );
      }
      plans.set(tier, plan);
    }
  }
  return plans;
}

/** API keys of the environment's clients. */
export interface DeployedApiKeys {
  /** Keys of clients in the config, by client key. */
  readonly byClient: ReadonlyMap<string, ApiKey>;
  /** Client keys of API keys tagged for this environment whose client is not in the config. */
  readonly notInConfig: readonly string[];
}

/** The environment's client API keys, without their values. */
export async function findClientApiKeys(
  apiGateway: APIGatewayClient,
  context: EnvironmentContext,
): Promise<DeployedApiKeys> {
  const configured = new Set(context.clients.map((c) => c.key));
  const byClient = new Map<string, ApiKey>();
  const notInConfig: string[] = [];
  const pages = paginateGetApiKeys({ client: apiGateway, pageSize: API_GATEWAY_PAGE_SIZE }, { includeValues: false });
  for await (const page of pages) {
    for (const key of page.items ?? []) {
      const clientKey = key.tags?.[TAG_KEYS.client];
      if (!clientKey || key.tags?.[TAG_KEYS.environment] !== context.environmentName) continue;
      if (key.name !== contextNames.apiKey(context, clientKey)) continue;
      if (configured.has(clientKey)) byClient.set(clientKey, key);
      else notInConfig.push(clientKey);
    }
  }
  return { byClient, notInConfig: notInConfig.sort() };
}

/** Ids of the API keys attached to a usage plan. */
export async function findUsagePlanKeyIds(apiGateway: APIGatewayClient, usagePlanId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const page of paginateGetUsagePlanKeys(
    { client: apiGateway, pageSize: API_GATEWAY_PAGE_SIZE },
    { usagePlanId },
  )) {
    for (const key of page.items ?? []) if (key.id) ids.add(key.id);
  }
  return ids;
}

/** The environment's REST API (`<project>-<env>`). */
export async function findRestApi(apiGateway: APIGatewayClient, context: EnvironmentContext): Promise<RestApi> {
  const name = contextNames.environment(context);
  const found: RestApi[] = [];
  for await (const page of paginateGetRestApis({ client: apiGateway, pageSize: API_GATEWAY_PAGE_SIZE }, {})) {
    for (const api of page.items ?? [])
      if (api.name === name && api.tags?.[TAG_KEYS.environment] === context.environmentName) found.push(api);
  }
  if (found.length === 0)
    throw new NotDeployedError(
      `no REST API named ${JSON.stringify(name)} tagged ${TAG_KEYS.environment}=${context.environmentName} in ${context.environment.region}: is ${context.environmentName} deployed?`,
    );
  if (found.length > 1)
    throw new CliError(
      `${found.length} REST APIs are named ${JSON.stringify(name)} in ${context.environment.region}; remove the stray ones`,
    );
  return found[0];
}

/** Id of the environment's user pool (`<project>-<env>`). */
export async function findUserPoolId(
  cognito: CognitoIdentityProviderClient,
  context: EnvironmentContext,
): Promise<string> {
  const name = contextNames.environment(context);
  const ids: string[] = [];
  for await (const page of paginateListUserPools(
    { client: cognito, pageSize: COGNITO_PAGE_SIZE },
    { MaxResults: COGNITO_PAGE_SIZE },
  )) {
    for (const pool of page.UserPools ?? []) if (pool.Name === name && pool.Id) ids.push(pool.Id);
  }
  if (ids.length === 0)
    throw new NotDeployedError(
      `no user pool named ${JSON.stringify(name)} in ${context.environment.region}: is ${context.environmentName} deployed?`,
    );
  if (ids.length > 1)
    throw new CliError(
      `${ids.length} user pools are named ${JSON.stringify(name)} in ${context.environment.region}; remove the stray ones`,
    );
  return ids[0];
}

/** A client's app client, located. */
export interface DeployedAppClient {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** The app client named by the client key in the environment's pool. */
export async function findAppClient(
  cognito: CognitoIdentityProviderClient,
  context: EnvironmentContext,
  clientKey: string,
): Promise<DeployedAppClient> {
  const userPoolId = await findUserPoolId(cognito, context);
  const name = contextNames.appClient(context, clientKey);
  const ids: string[] = [];
  const pages = paginateListUserPoolClients(
    { client: cognito, pageSize: COGNITO_PAGE_SIZE },
    { UserPoolId: userPoolId, MaxResults: COGNITO_PAGE_SIZE },
  );
  for await (const page of pages) {
    for (const client of page.UserPoolClients ?? [])
      if (client.ClientName === name && client.ClientId) ids.push(client.ClientId);
  }
  if (ids.length === 0)
    throw new NotDeployedError(
      `no app client named ${JSON.stringify(name)} in user pool ${userPoolId}: is ${clientKey} deployed to ${context.environmentName}?`,
    );
  if (ids.length > 1)
    throw new CliError(
      `${ids.length} app clients are named ${JSON.stringify(name)} in user pool ${userPoolId}; remove the stray ones`,
    );
  return { userPoolId, clientId: ids[0] };
}

/** ARN of a client's credentials secret. */
export async function findCredentialsSecretArn(
  secretsManager: SecretsManagerClient,
  context: EnvironmentContext,
  clientKey: string,
): Promise<string> {
  const name = contextNames.secret(context, clientKey);
  try {
    const secret = await secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
    const tags = new Map((secret.Tags ?? []).map((t) => [t.Key, t.Value]));
    if (tags.get(TAG_KEYS.client) !== clientKey || tags.get(TAG_KEYS.environment) !== context.environmentName) {
      throw new CliError(
        `secret ${JSON.stringify(name)} is not tagged ${TAG_KEYS.client}=${clientKey}, ${TAG_KEYS.environment}=${context.environmentName}: it was not created by this stack`,
      );
    }
    if (secret.DeletedDate) throw new NotDeployedError(`secret ${JSON.stringify(name)} is scheduled for deletion`);
    if (!secret.ARN) throw new CliError(`DescribeSecret returned no ARN for ${JSON.stringify(name)}`);
    return secret.ARN;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new NotDeployedError(
        `no secret named ${JSON.stringify(name)} in ${context.environment.region}: is ${clientKey} deployed to ${context.environmentName}?`,
      );
    }
    throw error;
  }
}
