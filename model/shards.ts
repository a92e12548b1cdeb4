/**
 * Client shards: with `clientShards: N` (N ≥ 2) an environment's clients live in N stacks of their
 * own, `<env>-clients-0` … `<env>-clients-<N-1>`, beside the platform stack `<env>` (pool, API,
 * authorizer, tiers). A client's shard is a pure function of its key and N, so adding or removing a
 * client touches one shard, and a client moves only when N changes (`npm run reshard`).
 */
import { createHash } from "node:crypto";

/** One stack per environment, the clients in it. */
export const DEFAULT_CLIENT_SHARDS = 1;

/**
 * The most shards an environment may have. Each is a workspace and a parallel apply; past this, a
 * plan's time is set by the platform stack and API rate limits, not by shard size.
 */
export const MAX_CLIENT_SHARDS = 32;

/**
 * The shard of a client: the first 32 bits of the SHA-256 of its key, as an unsigned number, modulo
 * the number of shards. Stable across machines, Node versions and registry order; even in spread.
 */
export function shardOfClient(clientKey: string, shards: number): number {
  const digest = createHash("sha256").update(clientKey, "utf8").digest();
  return digest.readUInt32BE(0) % shards;
}

/** The stack of shard `shard` of an environment: `<env>-clients-<shard>`. */
export function clientShardStackName(environmentName: string, shard: number): string {
  return `${environmentName}-clients-${shard}`;
}

/** The stack a client's resources live in: the environment's own stack when it has one shard. */
export function stackOfClient(environmentName: string, clientKey: string, shards: number): string {
  return shards <= 1 ? environmentName : clientShardStackName(environmentName, shardOfClient(clientKey, shards));
}

/**
 * Every stack of an environment, the platform stack first. The same rule names the Terraform Cloud
 * workspaces: given the platform's workspace, the shards' follow it (`<workspace>-clients-<i>`).
 */
export function environmentStackNames(environmentName: string, shards: number): string[] {
  if (shards <= 1) return [environmentName];
  return [
    environmentName,
    ...Array.from({ length: shards }, (_, shard) => clientShardStackName(environmentName, shard)),
  ];
}

/** The shard a stack name of the environment stands for, or undefined for the platform stack or another name. */
export function shardOfStack(environmentName: string, stackName: string): number | undefined {
  const prefix = `${environmentName}-clients-`;
  if (!stackName.startsWith(prefix)) return undefined;
  const shard = Number(stackName.slice(prefix.length));
  return Number.isInteger(shard) && String(shard) === stackName.slice(prefix.length) ? shard : undefined;
}
