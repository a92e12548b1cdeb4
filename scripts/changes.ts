/**
 * `npm run changes -- --base <git-ref> [--json]`: what the registry change since `<git-ref>` does to
 * each environment, as Markdown for a pull request (or JSON). Works from the configs alone, no cloud
 * access.
 *
 * The repository is the one around the working directory (`git rev-parse --show-toplevel`); the
 * registry module is `M2M_CONFIG` (relative to the repository root) or `config/registry.ts`, on both
 * sides. The base side is the whole tree at `<git-ref>`, extracted with `git archive` into a temporary
 * folder, so a registry that imports its schema (or anything else in the repository) loads as it
 * was then. Exit codes: 0 summary printed; 1 a side does not validate (its problems are printed);
 * 2 bad arguments, no repository or an unknown ref. `--help` prints the usage.
 */
import { renderMarkdown, summarizeChanges } from "./change-summary";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { EXIT_OK, UsageError } from "./lib/errors";
import { commitOf, loadBaseRegistry, loadValidRegistry, registryRepository } from "./lib/git-registry";

export const USAGE = "npm run changes -- --base <git-ref> [--json]";

const COMMAND_LINE = { usage: USAGE, options: { base: { type: "string" }, json: { type: "boolean" } } } as const;

/** Runs the command with `argv` (no node, no script) in the repository around `cwd`; returns the exit code. */
export async function changesCommand(
  argv: readonly string[],
  output: CliOutput = processOutput,
  cwd: string = process.cwd(),
): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, async ({ values }) => {
    if (!values.base) throw new UsageError(`--base <git-ref> is required (usage: ${USAGE})`);
    const repository = registryRepository(cwd);
    const commit = commitOf(repository, values.base);
    const head = loadValidRegistry(repository.headPath, `working tree: ${repository.config}`);
    const base = loadBaseRegistry(repository, commit, values.base);
    const summary = summarizeChanges(values.base, base, head);
    output.out(values.json ? JSON.stringify(summary, null, 2) : renderMarkdown(summary, repository.config).trimEnd());
    return EXIT_OK;
  });
}

if (require.main === module) {
  void changesCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
