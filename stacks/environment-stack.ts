import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { terraformText } from "../model/terraform-text";
import { DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS, DEFAULT_PROJECT, defaultLogRetentionDays } from "../model/defaults";
import { clientsInEnvironment, type Registry } from "../config/schema";
import { ROUTE_TABLE_ENV, USER_POOL_ID_ENV, serializeRouteTable } from "../model/route-table";
import { DEFAULT_CLIENT_SHARDS } from "../model/shards";
import { ApiGatewayLoggingRole } from "./api-gateway-logging-role";
import { type BackendChoice, chooseBackend } from "../config/backend-choice";
import { applyBackend } from "./backend";
import { BundledFunction } from "./bundled-function";
import { addMachineClients, type Platform } from "./environment-clients";
import { addEnvironmentProvider } from "./environment-provider";
import { MachineApi } from "./machine-api";
import { MachineUserPool } from "./machine-user-pool";
import { TAG_KEYS, awsNames } from "../model/names";
import { UsageTiers } from "./usage-tiers";

/** Props of {@link EnvironmentStack}. */
export interface EnvironmentStackProps {
  /** A registry that passed `validateRegistry` without errors. */
  readonly registry: Registry;
  /** The environment this stack deploys; a key of `registry.environments`. */
  readonly environmentName: string;
  /**
   * Process environment consulted for the Terraform Cloud backend (`TF_CLOUD_ORGANIZATION`, …).
   * @default process.env
   */
  readonly processEnv?: NodeJS.ProcessEnv;
}

/**
 * Everything one environment runs: the user pool and its resource servers, the REST API with its
 * authorizer, one usage plan per tier, and per client an app client, API key, plan key and secret.
 * With `clientShards` of 2 or more the clients live in {@link ClientShardStack}s instead, and this is
 * the environment's platform stack.
 */
export class EnvironmentStack extends TerraformStack implements Platform {
  /** Where the stack keeps its state. */
  readonly backend: BackendChoice;
  /** How many clients the stack holds: all of the environment's, or none when it has shards. */
  readonly clientCount: number;
  readonly userPool: MachineUserPool;
  readonly api: MachineApi;
  readonly tiers: UsageTiers;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    const { registry, environmentName: envName } = props;
    super(scope, envName);

    const environment = registry.environments[envName];
    if (!environment) throw new Error(`Unknown environment ${JSON.stringify(envName)}`);
    const project = registry.project ?? DEFAULT_PROJECT;
    const logRetentionDays = environment.logRetentionDays ?? defaultLogRetentionDays(environment);
    const shards = environment.clientShards ?? DEFAULT_CLIENT_SHARDS;
    const clients = shards > 1 ? [] : clientsInEnvironment(registry, envName);
    this.clientCount = clients.length;
    const environmentTags = { [TAG_KEYS.environment]: envName };

    this.backend = chooseBackend(envName, environment, project, registry.terraformCloud, props.processEnv);
    applyBackend(this, this.backend);
    addEnvironmentProvider(this, project, envName, environment);

    const userPool = new MachineUserPool(this, "user-pool", {
      poolName: awsNames.userPool(project, envName),
      domainPrefix: environment.cognitoDomainPrefix,
      region: environment.region,
      protected: environment.protected,
      resourceServers: registry.resourceServers,
    });

    const authorizer = new BundledFunction(this, "authorizer", {
      name: "authorizer",
      functionName: awsNames.lambdaFunction(project, envName, "authorizer"),
      logRetentionDays,
      environment: {
        [USER_POOL_ID_ENV]: userPool.pool.id,
        [ROUTE_TABLE_ENV]: terraformText(serializeRouteTable(registry.routes)),
      },
      tags: environmentTags,
    });
    const whoami = new BundledFunction(this, "whoami", {
      name: "whoami",
      functionName: awsNames.lambdaFunction(project, envName, "whoami"),
      logRetentionDays,
      memoryMb: 128,
      tags: environmentTags,
    });

    const loggingRole =
      environment.manageApiGatewayAccount === false
        ? undefined
        : new ApiGatewayLoggingRole(this, "api-gateway-logging", {
            roleName: awsNames.apiGatewayLoggingRole(project, envName),
          });

    const api = new MachineApi(this, "api", {
      apiName: awsNames.restApi(project, envName),
      environmentName: envName,
      stageName: environment.stageName,
      accessLogGroupName: awsNames.accessLogGroup(project, envName, environment.stageName),
      routes: registry.routes,
      authorizer: authorizer.function,
      authorizerCacheTtlSeconds: environment.authorizerCacheTtlSeconds ?? DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS,
      functions: { whoami: whoami.function },
      logRetentionDays,
      stageDependsOn: loggingRole ? [loggingRole.account] : undefined,
      tags: environmentTags,
    });

    const tiers = new UsageTiers(this, "tiers", {
      planName: (tier) => awsNames.usagePlan(project, envName, tier),
      tiers: registry.tiers,
      stage: api.stage,
      tags: environmentTags,
    });

    this.userPool = userPool;
    this.api = api;
    this.tiers = tiers;
    const secretArns = addMachineClients(this, {
      project,
      environmentName: envName,
      environment,
      clients,
      platform: this,
    });

    new TerraformOutput(this, "token_url", {
      value: userPool.tokenUrl,
      description: "OAuth2 token endpoint (client_credentials grant)",
    });
    new TerraformOutput(this, "api_url", {
      value: api.baseUrl,
      description: "Base URL of the API stage",
    });
    new TerraformOutput(this, "user_pool_id", { value: userPool.pool.id });
    if (shards <= 1) addSecretArnsOutput(this, secretArns);
  }
}

/** The output that lists each client's credentials secret: the ARN, never the value. */
export function addSecretArnsOutput(stack: TerraformStack, secretArns: Record<string, string>): void {
  new TerraformOutput(stack, "client_credentials_secret_arns", {
    value: secretArns,
    description: "Secrets Manager ARN of each client's credentials, by client key (the ARN, never the value)",
  });
}
