import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { clientsInEnvironment, type Registry } from "../config/schema";
import { DEFAULT_PROJECT } from "../model/defaults";
import { DEFAULT_CLIENT_SHARDS, clientShardStackName, shardOfClient } from "../model/shards";
import { type BackendChoice, chooseBackend } from "../config/backend-choice";
import { applyBackend } from "./backend";
import { addMachineClients, type Platform } from "./environment-clients";
import { addEnvironmentProvider } from "./environment-provider";
import { addSecretArnsOutput } from "./environment-stack";

/** Props of {@link ClientShardStack}. */
export interface ClientShardStackProps {
  /** A registry that passed `validateRegistry` without errors. */
  readonly registry: Registry;
  /** The environment; its `clientShards` is 2 or more. */
  readonly environmentName: string;
  /**
   * Which shard, from 0 to `clientShards - 1`; a higher one (a shard the environment had before its
   * count went down) holds no clients and exists only while a client move forgets its resources.
   */
  readonly shard: number;
  /** The environment's platform stack, whose pool, API and usage plans the clients use. */
  readonly platform: Platform;
  /**
   * Process environment consulted for the Terraform Cloud backend.
   * @default process.env
   */
  readonly processEnv?: NodeJS.ProcessEnv;
}

/**
 * One client shard of an environment, `<env>-clients-<shard>`: the clients whose key hashes to this
 * shard (`shardOfClient`), each with the same resources and addresses as in an unsharded stack, in a
 * state and workspace of their own. What they need of the platform (pool id, usage plan ids, the API's
 * URL) cdktf passes as cross-stack references, so Terraform applies the platform first.
 */
export class ClientShardStack extends TerraformStack {
  /** Where the shard keeps its state. */
  readonly backend: BackendChoice;
  /** How many clients the shard holds. */
  readonly clientCount: number;

  constructor(scope: Construct, props: ClientShardStackProps) {
    const { registry, environmentName, shard } = props;
    super(scope, clientShardStackName(environmentName, shard));
    const environment = registry.environments[environmentName];
    const shards = environment.clientShards ?? DEFAULT_CLIENT_SHARDS;
    const project = registry.project ?? DEFAULT_PROJECT;
    // A shard past the environment's count is retired: it only forgets the clients that moved out.
    const clients =
      shards > 1 && shard < shards
        ? clientsInEnvironment(registry, environmentName).filter(
            (client) => shardOfClient(client.key, shards) === shard,
          )
        : [];
    this.clientCount = clients.length;

    this.backend = chooseBackend(
      environmentName,
      environment,
      project,
      registry.terraformCloud,
      props.processEnv,
      shard,
    );
    applyBackend(this, this.backend);
    addEnvironmentProvider(this, project, environmentName, environment);
    addSecretArnsOutput(
      this,
      addMachineClients(this, { project, environmentName, environment, clients, platform: props.platform }),
    );
  }
}
