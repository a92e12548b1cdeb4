/**
 * `npm run reshard -- --env <env> [--base <git-ref>] [--outdir <dir>]`
 *
 * After changing an environment's `clientShards`, writes `reshard/<env>.json` beside the registry
 * module: for every client that changes stacks, the addresses its old stack forgets and the import ids
 * (read from that stack's state) its new stack adopts. Synth turns the file into `removed` and `import`
 * blocks, so the deploy moves every app client, API key, plan key and secret between states and
 * destroys nothing. The base registry (`--base`, default `HEAD`: what is deployed) says where each
 * client is now. See docs/shards.md.
 *
 * Exit codes: 0 file written (or nothing to move); 1 a registry does not validate or a state cannot be
 * read; 2 bad arguments.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { type ClientMovesFile, NOT_JSON, checkMovesFile, clientMovesFile } from "../config/client-moves";
import { ProblemCollector, formatProblem } from "../config/problems";
import type { Registry } from "../config/schema";
import { requireEnvironment } from "./lib/args";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { EXIT_OK, InvalidRegistryError } from "./lib/errors";
import { commitOf, loadBaseRegistry, loadValidRegistry, registryRepository } from "./lib/git-registry";
import { planReshard } from "./lib/reshard-plan";
import { backendStateReader } from "./lib/stack-state";

export const USAGE = "npm run reshard -- --env <env> [--base <git-ref>] [--outdir <dir>]";

const OPTIONS = { env: { type: "string" }, base: { type: "string" }, outdir: { type: "string" } } as const;
const COMMAND_LINE = { usage: USAGE, options: OPTIONS } as const;

/**
 * The moves already recorded for the environment, checked as synth checks them; none when there is no
 * file, or when they no longer fit the registry (`clientShards` changed again): then they are planned
 * afresh from the states, and each reason is printed.
 */
function recordedMoves(file: string, environmentName: string, head: Registry, shown: string, output: CliOutput) {
  if (!existsSync(file)) return [];
  const collector = new ProblemCollector();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new InvalidRegistryError([formatProblem({ severity: "error", entry: shown, field: "", message: NOT_JSON })]);
  }
  const moves = checkMovesFile(parsed, environmentName, head, collector, shown);
  for (const problem of collector.problems) output.out(`planned afresh: ${formatProblem(problem)}`);
  return moves ?? [];
}

/** Runs the command with `argv` (no node, no script) in the repository around `cwd`; returns the exit code. */
export async function reshardCommand(
  argv: readonly string[],
  output: CliOutput = processOutput,
  cwd: string = process.cwd(),
): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, async ({ values }) => {
    const repository = registryRepository(cwd);
    const head = loadValidRegistry(repository.headPath, `working tree: ${repository.config}`);
    const environmentName = requireEnvironment(values.env, Object.keys(head.environments), USAGE);
    const ref = values.base ?? "HEAD";
    const base = loadBaseRegistry(repository, commitOf(repository, ref), ref);
    const file = clientMovesFile(repository.headPath, environmentName);
    const shown = relative(cwd, file) || file;
    const outdir = values.outdir ?? join(repository.root, "cdktf.out");
    const readState = backendStateReader(head, environmentName, outdir);
    const plan = planReshard(
      environmentName,
      base,
      head,
      readState,
      recordedMoves(file, environmentName, head, shown, output),
    );
    for (const line of plan.lines) output.out(line);
    return writeMoves(file, shown, plan.file, output);
  });
}

function writeMoves(file: string, shown: string, moves: ClientMovesFile, output: CliOutput): number {
  if (moves.moves.length === 0) {
    if (existsSync(file)) {
      rmSync(file);
      output.out(`every move is applied: removed ${shown}`);
    } else {
      output.out(`no client of ${moves.environment} changes stack`);
    }
    return EXIT_OK;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(moves, null, 2)}\n`);
  output.out(
    `wrote ${shown}: ${moves.moves.length} client(s) move; commit it with the clientShards change, deploy (platform stack first), then run this again`,
  );
  return EXIT_OK;
}

if (require.main === module) {
  void reshardCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
