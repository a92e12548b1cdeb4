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
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { RegistryLoadError, loadRegistry } from "../config/load";
import type { Registry } from "../config/schema";
import { renderMarkdown, summarizeChanges } from "./change-summary";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { assertValidRegistry } from "./lib/valid-registry";
import { CliError, EXIT_OK, InvalidRegistryError, UsageError } from "./lib/errors";

const DEFAULT_CONFIG = "config/registry.ts";
export const USAGE = "npm run changes -- --base <git-ref> [--json]";

const COMMAND_LINE = { usage: USAGE, options: { base: { type: "string" }, json: { type: "boolean" } } } as const;

function git(cwd: string, args: readonly string[]): { ok: boolean; stdout: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  return { ok: result.status === 0, stdout: result.stdout ?? "" };
}

function repositoryRoot(cwd: string): string {
  const top = git(cwd, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) throw new UsageError(`${cwd} is not inside a git repository`);
  return top.stdout.trim();
}

/** `M2M_CONFIG` as a path inside the repository, the same on both sides. */
function configPath(root: string): string {
  const setting = process.env.M2M_CONFIG;
  if (setting === undefined || setting === "") return DEFAULT_CONFIG;
  const inRepository = relative(root, isAbsolute(setting) ? setting : resolve(root, setting));
  if (inRepository.startsWith("..") || isAbsolute(inRepository)) {
    throw new UsageError(`M2M_CONFIG ${JSON.stringify(setting)} is outside the repository, so it has no base version`);
  }
  return inRepository.split("\\").join("/");
}

function commitOf(root: string, ref: string): string {
  const commit = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!commit.ok) throw new UsageError(`--base ${JSON.stringify(ref)} is not a commit in ${root}`);
  return commit.stdout.trim();
}

/**
 * Loads a registry module and validates it as synth would (validator and quota guard). `today` is
 * the day expiry is judged on: the base is judged on the day it was committed, so a client that
 * has expired since does not stop the very change that removes it.
 */
function loadValid(modulePath: string, label: string, today: Date): Registry {
  let registry: Registry;
  try {
    registry = loadRegistry(modulePath).registry;
  } catch (error) {
    if (error instanceof RegistryLoadError) throw new InvalidRegistryError([`${label}: ${error.message}`]);
    throw error;
  }
  assertValidRegistry(registry, label, today);
  return registry;
}

function loadBase(root: string, commit: string, ref: string, config: string): Registry | undefined {
  if (!git(root, ["cat-file", "-e", `${commit}:${config}`]).ok) return undefined;
  const folder = mkdtempSync(join(tmpdir(), "m2m-changes-base-"));
  try {
    const archive = execFileSync("git", ["archive", "--format=tar", commit], { cwd: root, maxBuffer: 1 << 30 });
    const untar = spawnSync("tar", ["-x", "-C", folder], { input: archive });
    if (untar.status !== 0) throw new CliError(`tar could not extract ${ref}: ${untar.stderr.toString().trim()}`);
    const committed = new Date(Number(git(root, ["show", "-s", "--format=%ct", commit]).stdout.trim()) * 1000);
    return loadValid(join(folder, config), `base ${ref}: ${config}`, committed);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Runs the command with `argv` (no node, no script) in the repository around `cwd`; returns the exit code. */
export async function changesCommand(
  argv: readonly string[],
  output: CliOutput = processOutput,
  cwd: string = process.cwd(),
): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, async ({ values }) => {
    if (!values.base) throw new UsageError(`--base <git-ref> is required (usage: ${USAGE})`);
    const root = repositoryRoot(cwd);
    const config = configPath(root);
    const commit = commitOf(root, values.base);
    const headPath = join(root, config);
    if (!existsSync(headPath)) throw new UsageError(`no registry module at ${config} in the working tree`);
    const head = loadValid(headPath, `working tree: ${config}`, new Date());
    const base = loadBase(root, commit, values.base, config);
    const summary = summarizeChanges(values.base, base, head);
    output.out(values.json ? JSON.stringify(summary, null, 2) : renderMarkdown(summary, config).trimEnd());
    return EXIT_OK;
  });
}

if (require.main === module) {
  void changesCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
