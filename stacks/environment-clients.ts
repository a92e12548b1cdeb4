import type { TerraformStack } from "cdktf";
import type { ClientConfig, EnvironmentConfig } from "../config/schema";
import { DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES, secretRecoveryWindowDays } from "../model/defaults";
import { TAG_KEYS, awsNames } from "../model/names";
import { deployingAccount } from "./client-secret-access";
import type { MachineApi } from "./machine-api";
import { MachineClient } from "./machine-client";
import type { MachineUserPool } from "./machine-user-pool";
import type { UsageTiers } from "./usage-tiers";

/**
 * What clients need of the platform: the pool, the API and the tiers' usage plans. In a client shard
 * they live in the platform stack, and cdktf turns every use into a cross-stack reference (an output
 * of the platform stack, read back through `terraform_remote_state`).
 */
export interface Platform {
  readonly userPool: MachineUserPool;
  readonly api: MachineApi;
  readonly tiers: UsageTiers;
}

/** Props of {@link addMachineClients}. */
export interface EnvironmentClientsProps {
  readonly project: string;
  readonly environmentName: string;
  readonly environment: EnvironmentConfig;
  /** The clients this stack holds, in registry order. */
  readonly clients: readonly ClientConfig<string, string, string>[];
  readonly platform: Platform;
}

/**
 * One {@link MachineClient} per client, directly in `stack` with id `client-<key>` (the construct path
 * is part of the synthesized JSON); returns each client's secret ARN by key.
 */
export function addMachineClients(stack: TerraformStack, props: EnvironmentClientsProps): Record<string, string> {
  const { project, environmentName: envName, environment, platform } = props;
  const secretArns: Record<string, string> = {};
  for (const client of props.clients) {
    const machineClient = new MachineClient(stack, `client-${client.key}`, {
      clientKey: client.key,
      description: client.description,
      userPoolId: platform.userPool.pool.id,
      scopes: client.scopes.map((s) => platform.userPool.scopeReference(s)),
      accessTokenValidityMinutes: client.accessTokenValidityMinutes ?? DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES,
      usagePlan: platform.tiers.plan(client.tier),
      appClientName: awsNames.appClient(client.key),
      apiKeyName: awsNames.apiKey(project, envName, client.key),
      secretName: awsNames.credentialsSecret(project, envName, client.key),
      kmsAliasName: awsNames.kmsAlias(project, envName, client.key),
      tokenUrl: platform.userPool.tokenUrl,
      apiBaseUrl: platform.api.baseUrl,
      secretRecoveryWindowDays: secretRecoveryWindowDays(environment),
      tags: {
        [TAG_KEYS.client]: client.key,
        [TAG_KEYS.owner]: client.owner,
        [TAG_KEYS.environment]: envName,
        [TAG_KEYS.tier]: client.tier,
      },
      consumerAccess: client.consumerPrincipals?.length
        ? { principals: client.consumerPrincipals, region: environment.region, account: deployingAccount(stack) }
        : undefined,
    });
    secretArns[client.key] = machineClient.secret.arn;
  }
  return secretArns;
}
