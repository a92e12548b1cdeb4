/**
 * Reads one environment back through the AWS API (SDK v3: Cognito, API Gateway, Secrets Manager,
 * Lambda), and says what it should look like for a registry. Both sides have the same shape, keyed by
 * AWS names, so one `toEqual` shows every difference at once. Nothing here knows about the stack's
 * code: names and values are spelled out from the registry.
 */
import {
  APIGatewayClient,
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from "@aws-sdk/client-api-gateway";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListResourceServersCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { LambdaClient, GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Registry } from "../../config/schema";

/** SDK clients pointed at one endpoint with dummy keys. */
export class AwsClients {
  readonly cognito: CognitoIdentityProviderClient;
  readonly apiGateway: APIGatewayClient;
  readonly secrets: SecretsManagerClient;
  readonly lambda: LambdaClient;

  constructor(endpoint: string, region: string) {
    const config = {
      endpoint,
      region,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      maxAttempts: 2,
    };
    this.cognito = new CognitoIdentityProviderClient(config);
    this.apiGateway = new APIGatewayClient(config);
    this.secrets = new SecretsManagerClient(config);
    this.lambda = new LambdaClient(config);
  }

  destroy(): void {
    this.cognito.destroy();
    this.apiGateway.destroy();
    this.secrets.destroy();
    this.lambda.destroy();
  }
}

interface Throttle {
  readonly rateLimit: number | undefined;
  readonly burstLimit: number | undefined;
}

/** One environment as AWS reports it (or as it should be), keyed by AWS names. */
export interface EnvironmentView {
  readonly userPool: {
    readonly name: string;
    readonly deletionProtection: string | undefined;
    readonly domainPrefix: string | undefined;
  };
  /** Resource server identifier → its scope names, sorted. */
  readonly resourceServers: Record<string, string[]>;
  readonly restApi: {
    readonly name: string;
    readonly apiKeySource: string | undefined;
    readonly authorizers: string[];
  };
  readonly stages: string[];
  /** Usage plan name → settings and the names of the API keys in it. */
  readonly usagePlans: Record<
    string,
    {
      readonly throttle: Throttle;
      readonly quota: { readonly limit: number | undefined; readonly period: string | undefined };
      readonly stages: {
        readonly apiId: string | undefined;
        readonly stage: string | undefined;
        readonly throttle: Record<string, Throttle>;
      }[];
      readonly apiKeys: string[];
    }
  >;
  /** App client name → settings. */
  readonly appClients: Record<
    string,
    {
      readonly scopes: string[];
      readonly flows: string[];
      readonly flowsUserPoolClient: boolean | undefined;
      readonly identityProviders: string[];
      readonly accessTokenValidity: number | undefined;
      readonly accessTokenUnit: string | undefined;
      readonly hasSecret: boolean;
    }
  >;
  /** API key name → value, state and the tier it is tagged with. */
  readonly apiKeys: Record<
    string,
    { readonly value: string | undefined; readonly enabled: boolean | undefined; readonly tierTag: string | undefined }
  >;
  /** Secret name → the JSON it holds and the tier it is tagged with. */
  readonly secrets: Record<string, { readonly value: unknown; readonly tierTag: string | undefined }>;
  readonly authorizerFunction: { readonly userPoolId: string | undefined; readonly routeTable: unknown };
}

/** Ids and secrets AWS generated: what a partner holds, and what must survive every change. */
export interface ClientIdentity {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly apiKeyId: string | undefined;
  readonly secretArn: string | undefined;
}

/** What {@link readEnvironment} returns. */
export interface Deployed {
  readonly view: EnvironmentView;
  readonly poolId: string;
  readonly restApiId: string;
  /** By client key (= app client name). */
  readonly identities: Record<string, ClientIdentity>;
}

/** AWS names of one environment, spelled out independently of the stack's code. */
export function namesOf(registry: Registry, environment: string) {
  const project = registry.project ?? "m2m";
  const prefix = `${project}-${environment}`;
  return {
    prefix,
    poolName: prefix,
    apiName: prefix,
    authorizerFunction: `${prefix}-authorizer`,
    usagePlan: (tier: string) => `${prefix}-${tier}`,
    secret: (clientKey: string) => `${project}/${environment}/clients/${clientKey}`,
    apiKey: (clientKey: string) => `${project}-${environment}-clients-${clientKey}`,
  };
}

function byName<T>(items: readonly T[], nameOf: (item: T) => string | undefined, name: string, what: string): T {
  const found = items.filter((item) => nameOf(item) === name);
  if (found.length !== 1)
    throw new Error(`expected exactly one ${what} named ${JSON.stringify(name)}, found ${found.length}`);
  return found[0];
}

const sorted = (values: readonly string[] | undefined) => [...(values ?? [])].sort();

/**
 * Reads everything one environment deployed. Usage plans, API keys and secrets are shared by every
 * environment of the account and region, so they are taken by the environment's name prefix.
 */
export async function readEnvironment(aws: AwsClients, registry: Registry, environment: string): Promise<Deployed> {
  const names = namesOf(registry, environment);

  const pools = (await aws.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? [];
  const poolId = byName(pools, (p) => p.Name, names.poolName, "user pool").Id!;
  const pool = (await aws.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  const domainPrefix = pool.Domain;
  if (domainPrefix) {
    const domain = (await aws.cognito.send(new DescribeUserPoolDomainCommand({ Domain: domainPrefix })))
      .DomainDescription;
    if (domain?.UserPoolId !== poolId)
      throw new Error(`domain ${domainPrefix} belongs to ${domain?.UserPoolId}, not ${poolId}`);
  }
  const servers =
    (await aws.cognito.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 50 }))).ResourceServers ??
    [];
  const clientList =
    (await aws.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserPoolClients ??
    [];
  const appClients = await Promise.all(
    clientList.map(
      async (c) =>
        (await aws.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId })))
          .UserPoolClient!,
    ),
  );

  const restApis = (await aws.apiGateway.send(new GetRestApisCommand({ limit: 500 }))).items ?? [];
  const restApi = byName(restApis, (a) => a.name, names.apiName, "REST API");
  const restApiId = restApi.id!;
  const stages = (await aws.apiGateway.send(new GetStagesCommand({ restApiId }))).item ?? [];
  const authorizers = (await aws.apiGateway.send(new GetAuthorizersCommand({ restApiId, limit: 500 }))).items ?? [];
  const plans = ((await aws.apiGateway.send(new GetUsagePlansCommand({ limit: 500 }))).items ?? []).filter((p) =>
    p.name?.startsWith(`${names.prefix}-`),
  );
  const planKeys = new Map(
    await Promise.all(
      plans.map(
        async (p) =>
          [
            p.id!,
            (await aws.apiGateway.send(new GetUsagePlanKeysCommand({ usagePlanId: p.id, limit: 500 }))).items ?? [],
          ] as const,
      ),
    ),
  );
  const apiKeys = (
    (await aws.apiGateway.send(new GetApiKeysCommand({ includeValues: true, limit: 500 }))).items ?? []
  ).filter((k) => k.name?.startsWith(`${names.prefix}-`));
  const keyNameById = new Map(apiKeys.map((k) => [k.id!, k.name!]));

  const secretList = (
    (await aws.secrets.send(new ListSecretsCommand({ MaxResults: 100, IncludePlannedDeletion: true }))).SecretList ?? []
  ).filter((s) => s.Name?.startsWith(names.secret("")));
  const secretValues = await Promise.all(
    secretList.map(async (s) => {
      if (s.DeletedDate) return { value: "scheduled for deletion" };
      const value = (await aws.secrets.send(new GetSecretValueCommand({ SecretId: s.ARN }))).SecretString;
      return { value: value === undefined ? undefined : pick(JSON.parse(value), SECRET_FIELDS) };
    }),
  );

  const authorizer = await aws.lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: names.authorizerFunction }),
  );
  const variables = authorizer.Environment?.Variables ?? {};

  const tierTag = (tags: Record<string, string> | undefined) => tags?.["m2m:tier"];
  const throttleOf = (t: { rateLimit?: number; burstLimit?: number } | undefined): Throttle => ({
    rateLimit: t?.rateLimit,
    burstLimit: t?.burstLimit,
  });

  const view: EnvironmentView = {
    userPool: { name: pool.Name!, deletionProtection: pool.DeletionProtection, domainPrefix },
    resourceServers: Object.fromEntries(
      servers.map((s) => [s.Identifier!, sorted(s.Scopes?.map((x) => x.ScopeName!))]),
    ),
    restApi: {
      name: restApi.name!,
      apiKeySource: restApi.apiKeySource,
      authorizers: sorted(authorizers.map((a) => `${a.name} ${a.type}`)),
    },
    stages: sorted(stages.map((s) => s.stageName!)),
    usagePlans: Object.fromEntries(
      plans.map((p) => [
        p.name!,
        {
          throttle: throttleOf(p.throttle),
          quota: { limit: p.quota?.limit, period: p.quota?.period },
          stages: (p.apiStages ?? []).map((s) => ({
            apiId: s.apiId,
            stage: s.stage,
            throttle: Object.fromEntries(Object.entries(s.throttle ?? {}).map(([path, t]) => [path, throttleOf(t)])),
          })),
          apiKeys: sorted((planKeys.get(p.id!) ?? []).map((k) => keyNameById.get(k.id!) ?? `unknown key ${k.id}`)),
        },
      ]),
    ),
    appClients: Object.fromEntries(
      appClients.map((c) => [
        c.ClientName!,
        {
          scopes: sorted(c.AllowedOAuthScopes),
          flows: sorted(c.AllowedOAuthFlows),
          flowsUserPoolClient: c.AllowedOAuthFlowsUserPoolClient,
          identityProviders: sorted(c.SupportedIdentityProviders),
          accessTokenValidity: c.AccessTokenValidity,
          accessTokenUnit: c.TokenValidityUnits?.AccessToken,
          hasSecret: typeof c.ClientSecret === "string" && c.ClientSecret.length > 0,
        },
      ]),
    ),
    apiKeys: Object.fromEntries(
      apiKeys.map((k) => [k.name!, { value: k.value, enabled: k.enabled, tierTag: tierTag(k.tags) }]),
    ),
    secrets: Object.fromEntries(
      secretList.map((s, i) => [s.Name!, { value: secretValues[i].value, tierTag: tierTag(tagMap(s.Tags)) }]),
    ),
    authorizerFunction: {
      userPoolId: variables.USER_POOL_ID,
      routeTable: variables.ROUTE_TABLE === undefined ? undefined : canonicalRoutes(JSON.parse(variables.ROUTE_TABLE)),
    },
  };

  const identities: Record<string, ClientIdentity> = {};
  for (const c of appClients) {
    const key = c.ClientName!;
    identities[key] = {
      clientId: c.ClientId!,
      clientSecret: c.ClientSecret,
      apiKeyId: apiKeys.find((k) => k.name === names.apiKey(key))?.id,
      secretArn: secretList.find((s) => s.Name === names.secret(key))?.ARN,
    };
  }
  return { view, poolId, restApiId, identities };
}

/**
 * The fields of a credentials secret that must always be current. (Its `scopes` is informational and,
 * once `npm run rotate-secret` owns the value, not rewritten by Terraform: the app client is the truth.)
 */
const SECRET_FIELDS = ["client_id", "client_secret", "token_url", "api_base_url"] as const;

function pick(value: unknown, fields: readonly string[]): unknown {
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f in record).map((f) => [f, record[f]]));
}

/** Routes as `{method, path, scopes}` with sorted scopes, in a fixed order (the order carries no meaning). */
function canonicalRoutes(routes: readonly { method: string; path: string; scopes: readonly string[] }[]) {
  return routes
    .map((r) => ({ method: r.method, path: r.path, scopes: sorted(r.scopes) }))
    .sort((a, b) => (`${a.method} ${a.path}` < `${b.method} ${b.path}` ? -1 : 1));
}

function tagMap(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

/**
 * What the environment should look like for a registry. Generated values (client ids and secrets,
 * the pool and API ids) come from `deployed`, each from the service that owns it: an API key's value
 * must equal the client id Cognito reports, a secret must hold the secret Cognito reports.
 */
export function expectedView(registry: Registry, environment: string, deployed: Deployed): EnvironmentView {
  const names = namesOf(registry, environment);
  const env = registry.environments[environment];
  if (!env) throw new Error(`no environment ${environment} in the registry`);
  const clients = registry.clients.filter((c) => (c.environments as readonly string[]).includes(environment));
  const tokenUrl = `https://${env.cognitoDomainPrefix}.auth.${env.region}.amazoncognito.com/oauth2/token`;
  const apiUrl = `https://${deployed.restApiId}.execute-api.${env.region}.amazonaws.com/${env.stageName}`;
  const identity = (key: string): Partial<ClientIdentity> => deployed.identities[key] ?? {};

  return {
    userPool: {
      name: names.poolName,
      deletionProtection: env.protected ? "ACTIVE" : "INACTIVE",
      domainPrefix: env.cognitoDomainPrefix,
    },
    resourceServers: Object.fromEntries(
      Object.entries(registry.resourceServers).map(([id, s]) => [id, sorted(Object.keys(s.scopes))]),
    ),
    restApi: { name: names.apiName, apiKeySource: "AUTHORIZER", authorizers: ["cognito-access-token TOKEN"] },
    stages: [env.stageName],
    usagePlans: Object.fromEntries(
      Object.entries(registry.tiers).map(([tier, t]) => [
        names.usagePlan(tier),
        {
          throttle: { rateLimit: t.throttle.rateLimit, burstLimit: t.throttle.burstLimit },
          quota: { limit: t.quota.limit, period: t.quota.period },
          stages: [
            {
              apiId: deployed.restApiId,
              stage: env.stageName,
              throttle: Object.fromEntries(
                Object.entries(t.routeThrottles ?? {}).map(([route, limits]) => {
                  const [method, path] = route.split(" ");
                  return [`${path}/${method}`, { rateLimit: limits!.rateLimit, burstLimit: limits!.burstLimit }];
                }),
              ),
            },
          ],
          apiKeys: sorted(clients.filter((c) => c.tier === tier).map((c) => names.apiKey(c.key))),
        },
      ]),
    ),
    appClients: Object.fromEntries(
      clients.map((c) => [
        c.key,
        {
          scopes: sorted(c.scopes),
          flows: ["client_credentials"],
          flowsUserPoolClient: true,
          identityProviders: ["COGNITO"],
          accessTokenValidity: c.accessTokenValidityMinutes ?? 60,
          accessTokenUnit: "minutes",
          hasSecret: true,
        },
      ]),
    ),
    apiKeys: Object.fromEntries(
      clients.map((c) => [names.apiKey(c.key), { value: identity(c.key).clientId, enabled: true, tierTag: c.tier }]),
    ),
    secrets: Object.fromEntries(
      clients.map((c) => [
        names.secret(c.key),
        {
          value: {
            client_id: identity(c.key).clientId,
            client_secret: identity(c.key).clientSecret,
            token_url: tokenUrl,
            api_base_url: apiUrl,
          },
          tierTag: c.tier,
        },
      ]),
    ),
    authorizerFunction: {
      userPoolId: deployed.poolId,
      routeTable: canonicalRoutes(registry.routes),
    },
  };
}
