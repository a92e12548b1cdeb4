/**
 * One environment of the registry as the operator CLIs see it: its name, region, project prefix and
 * the clients deployed there, plus the AWS names the stack gives them (see `model/names.ts`).
 */
import { DEFAULT_PROJECT } from "../../model/defaults";
import { clientsInEnvironment, type ClientConfig, type EnvironmentConfig, type Registry } from "../../config/schema";
import { awsNames } from "../../model/names";
import { UsageError } from "./errors";

/** A registry narrowed to one environment. */
export interface EnvironmentContext {
  readonly registry: Registry;
  /** Prefix of every AWS name (`<project>-<env>-…`). */
  readonly project: string;
  readonly environmentName: string;
  readonly environment: EnvironmentConfig;
  /** Clients whose `environments` include this one, in registry order. */
  readonly clients: readonly ClientConfig<string, string, string>[];
}

/** The registry narrowed to `environmentName`, which must be one of its environments. */
export function environmentContext(registry: Registry, environmentName: string): EnvironmentContext {
  const environment = registry.environments[environmentName];
  if (!environment) {
    throw new UsageError(
      `--env ${JSON.stringify(environmentName)} is not an environment of the registry (one of: ${Object.keys(registry.environments).join(", ")})`,
    );
  }
  return {
    registry,
    project: registry.project ?? DEFAULT_PROJECT,
    environmentName,
    environment,
    clients: clientsInEnvironment(registry, environmentName),
  };
}

/** The config entry of a client deployed in the context's environment. */
export function clientInContext(context: EnvironmentContext, clientKey: string): ClientConfig<string, string, string> {
  const client = context.clients.find((c) => c.key === clientKey);
  if (client) return client;
  const elsewhere = context.registry.clients.find((c) => c.key === clientKey);
  if (elsewhere) {
    throw new UsageError(
      `client ${JSON.stringify(clientKey)} is not deployed to ${context.environmentName} (its environments: ${elsewhere.environments.join(", ")})`,
    );
  }
  throw new UsageError(`no client ${JSON.stringify(clientKey)} in the registry`);
}

/** AWS names the stack gives an environment's resources (`model/names.ts`); the CLIs look resources up by these. */
export const contextNames = {
  /** User pool and REST API: `<project>-<env>`. */
  environment: (c: EnvironmentContext) => awsNames.restApi(c.project, c.environmentName),
  /** Usage plan of a tier: `<project>-<env>-<tier>`. */
  usagePlan: (c: EnvironmentContext, tier: string) => awsNames.usagePlan(c.project, c.environmentName, tier),
  /** API key of a client. */
  apiKey: (c: EnvironmentContext, clientKey: string) => awsNames.apiKey(c.project, c.environmentName, clientKey),
  /** Credentials secret of a client: `<project>/<env>/clients/<key>`. */
  secret: (c: EnvironmentContext, clientKey: string) =>
    awsNames.credentialsSecret(c.project, c.environmentName, clientKey),
  /** The app client's name is the client key. */
  appClient: (_c: EnvironmentContext, clientKey: string) => awsNames.appClient(clientKey),
} as const;
