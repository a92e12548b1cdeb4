/**
 * Client moves: when an environment's `clientShards` changes, clients change stacks, and their
 * resources must change Terraform states without being destroyed. `npm run reshard -- --env <env>`
 * writes what moves to `reshard/<env>.json` beside the registry module (`config/reshard/dev.json`);
 * synth turns each move into Terraform's own blocks: `import` in the client's new stack (with the ids
 * read from the old state) and `removed { lifecycle { destroy = false } }` in the old one.
 *
 * The file is checked like the registry: never a throw, one line per problem naming the file, the move
 * and the field.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { WRITTEN_AGAIN_ON_MOVE, clientResourceAddresses } from "../model/client-resources";
import { DEFAULT_CLIENT_SHARDS, MAX_CLIENT_SHARDS, environmentStackNames, stackOfClient } from "../model/shards";
import { type ConfigProblem, ProblemCollector } from "./problems";
import { clientsInEnvironment, type Registry } from "./schema";
import { got, isRecord } from "./validate-support";

/** The problem of a moves file that does not parse (V8's own message differs between Node versions). */
export const NOT_JSON = "must be JSON as npm run reshard writes it; got text that is not JSON";

/** The folder, beside the registry module, that holds one moves file per environment. */
export const RESHARD_FOLDER = "reshard";

/** One client's move from one stack of its environment to another. */
export interface ClientMove {
  /** The client's key. */
  readonly client: string;
  /** The stack whose state holds the client's resources now. */
  readonly from: string;
  /** The stack the client belongs to under the registry's `clientShards`. */
  readonly to: string;
  /** Terraform address → import id of each resource the new stack takes over as it is. */
  readonly imports: Readonly<Record<string, string>>;
  /** Addresses the old stack stops managing, without destroying what they name. */
  readonly forget: readonly string[];
}

/** What `reshard/<env>.json` holds. */
export interface ClientMovesFile {
  readonly environment: string;
  /** Why the file exists and what to do with it, for whoever opens it. */
  readonly note?: string;
  readonly moves: readonly ClientMove[];
}

/** The moves of every environment that has a file, by environment, and what is wrong with the files. */
export interface LoadedClientMoves {
  readonly moves: ReadonlyMap<string, readonly ClientMove[]>;
  readonly problems: ConfigProblem[];
}

/** Where the moves of `environmentName` are kept for the registry module at `registryModulePath`. */
export function clientMovesFile(registryModulePath: string, environmentName: string): string {
  return join(dirname(registryModulePath), RESHARD_FOLDER, `${environmentName}.json`);
}

/** Every stack name a move may come from: any shard the environment could ever have had. */
function possibleStacks(environmentName: string): Set<string> {
  return new Set(environmentStackNames(environmentName, MAX_CLIENT_SHARDS));
}

/** Reads and checks every `reshard/*.json` beside the registry module; none: no moves. */
export function loadClientMoves(
  registryModulePath: string,
  registry: Registry,
  cwd = process.cwd(),
): LoadedClientMoves {
  const folder = join(dirname(registryModulePath), RESHARD_FOLDER);
  const collector = new ProblemCollector();
  const moves = new Map<string, readonly ClientMove[]>();
  if (!existsSync(folder)) return { moves, problems: [] };
  for (const name of readdirSync(folder)
    .filter((file) => file.endsWith(".json"))
    .sort()) {
    const file = join(folder, name);
    const entry = relative(cwd, file) || file;
    const problems = collector.entry(entry);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      problems.error("", NOT_JSON);
      continue;
    }
    const environmentName = basename(name, ".json");
    const checked = checkMovesFile(parsed, environmentName, registry, collector, entry);
    if (checked) moves.set(environmentName, checked);
  }
  return { moves, problems: collector.problems };
}

/** The moves of one file, or undefined when any is wrong (each problem reported). */
export function checkMovesFile(
  parsed: unknown,
  environmentName: string,
  registry: Registry,
  collector: ProblemCollector,
  entry: string,
): readonly ClientMove[] | undefined {
  const problems = collector.entry(entry);
  if (!isRecord(parsed) || !Array.isArray(parsed.moves)) {
    problems.error("", `must be an object with environment and moves; ${got(parsed)}`);
    return undefined;
  }
  const environment = registry.environments[environmentName];
  if (parsed.environment !== environmentName || environment === undefined) {
    problems.error(
      "environment",
      `must be the environment the file is named after, ${JSON.stringify(environmentName)}, and one of the registry's; ${got(parsed.environment)}`,
    );
    return undefined;
  }
  const shards = environment.clientShards ?? DEFAULT_CLIENT_SHARDS;
  const clientKeys = new Set(clientsInEnvironment(registry, environmentName).map((client) => client.key));
  const stacks = possibleStacks(environmentName);
  const before = collector.problems.length;
  const seen = new Set<string>();
  parsed.moves.forEach((move: unknown, position: number) => {
    const field = (name: string) => `moves[${position}]${name === "" ? "" : `.${name}`}`;
    if (!isRecord(move)) {
      problems.error(field(""), `must be an object with client, from, to, imports and forget; ${got(move)}`);
      return;
    }
    const client = move.client;
    if (typeof client !== "string" || !clientKeys.has(client) || seen.has(client)) {
      problems.error(field("client"), `must be a client of ${environmentName}, named in one move only; ${got(client)}`);
      return;
    }
    seen.add(client);
    const target = stackOfClient(environmentName, client, shards);
    if (move.to !== target) {
      problems.error(
        field("to"),
        `must be ${JSON.stringify(target)}, where clientShards ${shards} puts ${client} (run npm run reshard -- --env ${environmentName} again after changing clientShards); ${got(move.to)}`,
      );
    }
    if (typeof move.from !== "string" || !stacks.has(move.from) || move.from === move.to) {
      problems.error(
        field("from"),
        `must be another stack of ${environmentName} (${environmentName} or ${environmentName}-clients-<n>); ${got(move.from)}`,
      );
    }
    checkAddresses(client, move, field, problems);
  });
  return collector.problems.length === before ? (parsed.moves as ClientMove[]) : undefined;
}

function checkAddresses(
  client: string,
  move: Readonly<Record<string, unknown>>,
  field: (name: string) => string,
  problems: ReturnType<ProblemCollector["entry"]>,
): void {
  const owned = new Set(clientResourceAddresses(client));
  const forget = move.forget;
  if (!Array.isArray(forget) || forget.length === 0 || forget.some((address) => !owned.has(address))) {
    problems.error(field("forget"), `must list addresses of ${client}'s resources (<type>.${client}); ${got(forget)}`);
  }
  const imports = move.imports;
  if (!isRecord(imports)) {
    problems.error(field("imports"), `must map addresses of ${client}'s resources to import ids; ${got(imports)}`);
    return;
  }
  for (const [address, id] of Object.entries(imports)) {
    const type = address.slice(0, address.indexOf("."));
    if (!owned.has(address) || (WRITTEN_AGAIN_ON_MOVE as readonly string[]).includes(type)) {
      problems.error(
        field(`imports[${JSON.stringify(address)}]`),
        `must be the address of a resource of ${client} that is imported, not written again; ${got(address)}`,
      );
    } else if (typeof id !== "string" || id.trim() === "") {
      problems.error(field(`imports[${JSON.stringify(address)}]`), `must be the resource's import id; ${got(id)}`);
    }
  }
}
