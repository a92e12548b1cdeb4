import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { terraformText, terraformTextMap } from "../model/terraform-text";
import {
  DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES,
  DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS,
  DEFAULT_PROJECT,
  defaultLogRetentionDays,
  secretRecoveryWindowDays,
} from "../model/defaults";
import { clientsInEnvironment, type Registry } from "../config/schema";
import { ROUTE_TABLE_ENV, USER_POOL_ID_ENV, serializeRouteTable } from "../model/route-table";
import { ApiGatewayLoggingRole } from "./api-gateway-logging-role";
import { applyBackend, chooseBackend, type BackendChoice } from "./backend";
import { BundledFunction } from "./bundled-function";
import { deployingAccount } from "./client-secret-access";
import { MachineApi } from "./machine-api";
import { MachineClient } from "./machine-client";
import { MachineUserPool } from "./machine-user-pool";
import { MANAGED_BY, TAG_KEYS, awsNames } from "../model/names";
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
 */
export class EnvironmentStack extends TerraformStack {
  /** Where the stack keeps its state. */
  readonly backend: BackendChoice;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    const { registry, environmentName: envName } = props;
    super(scope, envName);

    const environment = registry.environments[envName];
    if (!environment) throw new Error(`Unknown environment ${JSON.stringify(envName)}`);
    const project = registry.project ?? DEFAULT_PROJECT;
    const logRetentionDays = environment.logRetentionDays ?? defaultLogRetentionDays(environment);
    const clients = clientsInEnvironment(registry, envName);
    const environmentTags = { [TAG_KEYS.environment]: envName };

    this.backend = chooseBackend(envName, environment, project, registry.terraformCloud, props.processEnv);
    applyBackend(this, this.backend);
    new AwsProvider(this, "aws", {
      region: terraformText(environment.region),
      allowedAccountIds: environment.account ? [environment.account] : undefined,
      defaultTags: [
        {
          tags: terraformTextMap({
            [TAG_KEYS.project]: project,
            [TAG_KEYS.environment]: envName,
            [TAG_KEYS.managedBy]: MANAGED_BY,
          }),
        },
      ],
    });

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

    const secretArns: Record<string, string> = {};
    for (const client of clients) {
      const machineClient = new MachineClient(this, `client-${client.key}`, {
        clientKey: client.key,
        description: client.description,
        userPoolId: userPool.pool.id,
        scopes: client.scopes.map((s) => userPool.scopeReference(s)),
        accessTokenValidityMinutes: client.accessTokenValidityMinutes ?? DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES,
        usagePlan: tiers.plan(client.tier),
        appClientName: awsNames.appClient(client.key),
        apiKeyName: awsNames.apiKey(project, envName, client.key),
        secretName: awsNames.credentialsSecret(project, envName, client.key),
        kmsAliasName: awsNames.kmsAlias(project, envName, client.key),
        tokenUrl: userPool.tokenUrl,
        apiBaseUrl: api.baseUrl,
        secretRecoveryWindowDays: secretRecoveryWindowDays(environment),
        tags: {
          [TAG_KEYS.client]: client.key,
          [TAG_KEYS.owner]: client.owner,
          [TAG_KEYS.environment]: envName,
          [TAG_KEYS.tier]: client.tier,
        },
        consumerAccess: client.consumerPrincipals?.length
          ? { principals: client.consumerPrincipals, region: environment.region, account: deployingAccount(this) }
          : undefined,
      });
      secretArns[client.key] = machineClient.secret.arn;
    }

    new TerraformOutput(this, "token_url", {
      value: userPool.tokenUrl,
      description: "OAuth2 token endpoint (client_credentials grant)",
    });
    new TerraformOutput(this, "api_url", {
      value: api.baseUrl,
      description: "Base URL of the API stage",
    });
    new TerraformOutput(this, "user_pool_id", { value: userPool.pool.id });
    new TerraformOutput(this, "client_credentials_secret_arns", {
      value: secretArns,
      description: "Secrets Manager ARN of each client's credentials, by client key (the ARN, never the value)",
    });
  }
}
