/**
 * Where an operator CLI (`usage`, `credentials`, `rotate-secret`) acts: the registry's environment
 * that `--env` names, and SDK clients for its region.
 */
import { loadRegistry } from "../../config/load";
import { requireEnvironment } from "./args";
import { type AwsClients, createAwsClients } from "./aws-clients";
import { type EnvironmentContext, environmentContext } from "./environment-context";

/** One environment of the registry and the AWS clients that reach it. */
export interface OperatorTarget {
  readonly context: EnvironmentContext;
  readonly aws: AwsClients;
}

/**
 * Loads the registry (`M2M_CONFIG` or `config/registry.ts`) and narrows it to `--env`, which is
 * required; `--endpoint-url` points every client at one endpoint (an emulator).
 */
export function operatorTarget(
  values: { readonly env?: string; readonly "endpoint-url"?: string },
  usage: string,
): OperatorTarget {
  const { registry } = loadRegistry(process.env.M2M_CONFIG);
  const environmentName = requireEnvironment(values.env, Object.keys(registry.environments), usage);
  const context = environmentContext(registry, environmentName);
  return { context, aws: createAwsClients(context.environment.region, values["endpoint-url"]) };
}
