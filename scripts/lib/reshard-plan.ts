/**
 * Which clients change stacks when an environment's `clientShards` changes, and what Terraform needs to
 * move each one without destroying it: the addresses its old stack forgets and the import ids its new
 * stack adopts, read from the old stack's state. Pure: the states come from a reader.
 */
import type { ClientMove, ClientMovesFile } from "../../config/client-moves";
import { type Registry, clientsInEnvironment } from "../../config/schema";
import {
  CLIENT_RESOURCE_TYPES,
  CONSUMER_RESOURCE_TYPES,
  type ClientResourceType,
  clientResourceAddress,
} from "../../model/client-resources";
import { DEFAULT_CLIENT_SHARDS, stackOfClient } from "../../model/shards";
import { importIdOf } from "./import-ids";
import type { StackState } from "./stack-state";

/** Reads one stack's state (of the registry it was deployed from); undefined when it has none. */
export type StateReader = (stackName: string) => StackState | undefined;

/** What {@link planReshard} decided. */
export interface ReshardPlan {
  /** The moves file to write; no moves: the file can go. */
  readonly file: ClientMovesFile;
  /** One line per client that moves, stays moved, or is already moved, for the operator. */
  readonly lines: readonly string[];
}

const ALL_TYPES: readonly ClientResourceType[] = [...CLIENT_RESOURCE_TYPES, ...CONSUMER_RESOURCE_TYPES];

/** Written into the file for whoever opens it. */
const NOTE =
  "Written by npm run reshard. Synth turns each move into import blocks in the client's new stack and removed blocks (destroy = false) in its old one. Apply the platform stack first, then the shards; re-running converges. Delete this file once every stack has applied (npm run reshard says when).";

/** The move of one client whose resources are in `state` (its old stack's), or undefined when none are. */
function moveFromState(
  client: string,
  from: string,
  to: string,
  state: StackState | undefined,
): ClientMove | undefined {
  const imports: Record<string, string> = {};
  const forget: string[] = [];
  for (const type of ALL_TYPES) {
    const address = clientResourceAddress(type, client);
    const attributes = state?.get(address);
    if (!attributes) continue;
    forget.push(address);
    const id = importIdOf(type, attributes);
    if (id !== undefined) imports[address] = id;
  }
  return forget.length === 0 ? undefined : { client, from, to, imports, forget };
}

/** A recorded move is done when its new state holds every import and its old state none of its addresses. */
function isDone(move: ClientMove, readState: StateReader): boolean {
  const to = readState(move.to);
  const from = readState(move.from);
  return Object.keys(move.imports).every((address) => to?.has(address)) && !move.forget.some((a) => from?.has(a));
}

/**
 * The moves of one environment from the registry it was deployed from (`base`) to the one about to be
 * (`head`). A client that changes stacks moves with what its old state holds; a move recorded earlier
 * (`recorded`, the current file) is kept while it is not done, so re-running after a half-applied
 * deploy keeps the ids the old state has already forgotten.
 */
export function planReshard(
  environmentName: string,
  base: Registry | undefined,
  head: Registry,
  readState: StateReader,
  recorded: readonly ClientMove[] = [],
): ReshardPlan {
  const headShards = head.environments[environmentName]?.clientShards ?? DEFAULT_CLIENT_SHARDS;
  const baseEnvironment = base?.environments[environmentName];
  const baseShards = baseEnvironment?.clientShards ?? DEFAULT_CLIENT_SHARDS;
  const baseKeys = new Set(
    base && baseEnvironment ? clientsInEnvironment(base, environmentName).map((c) => c.key) : [],
  );
  const moves: ClientMove[] = [];
  const lines: string[] = [];
  const planned = new Set<string>();
  for (const { key } of clientsInEnvironment(head, environmentName)) {
    if (!baseKeys.has(key)) continue;
    const from = stackOfClient(environmentName, key, baseShards);
    const to = stackOfClient(environmentName, key, headShards);
    if (from === to) continue;
    const move = moveFromState(key, from, to, readState(from));
    if (!move) continue;
    planned.add(key);
    moves.push(move);
    lines.push(
      `${key}: ${from} → ${to}, ${Object.keys(move.imports).length} imported, ${move.forget.length} forgotten`,
    );
  }
  for (const move of recorded) {
    if (planned.has(move.client) || move.to !== stackOfClient(environmentName, move.client, headShards)) continue;
    if (isDone(move, readState)) {
      lines.push(`${move.client}: already in ${move.to}`);
      continue;
    }
    moves.push(move);
    lines.push(`${move.client}: ${move.from} → ${move.to}, kept from the file (not applied yet)`);
  }
  moves.sort((a, b) => a.client.localeCompare(b.client));
  return { file: { environment: environmentName, note: NOTE, moves }, lines };
}
