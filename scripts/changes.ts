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
 * 2 bad arguments, no repository or an unknown ref.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { RegistryLoadError, loadRegistry } from "../config/load";
import { checkQuotas } from "../config/quotas";
import type { Registry } from "../config/schema";
import { formatProblem, hasErrors, validateRegistry } from "../config/validate";
import { renderMarkdown, summarizeChanges } from "./change-summary";

const DEFAULT_CONFIG = "config/registry.ts";
const USAGE = "usage: npm run changes -- --base <git-ref> [--json]";

/** Bad input: one line on stderr, exit 2. */
class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A side's config that does not load or validate: its lines on stderr, exit 1. */
class InvalidConfigError extends Error {
  override readonly name = "InvalidConfigError";
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"));
  }
}

interface Options {
  readonly base: string;
  readonly json: boolean;
}

function parseArguments(args: readonly string[]): Options {
  let base: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--json") json = true;
    else if (arg === "--base") base = args[++i];
    else if (arg.startsWith("--base=")) base = arg.slice("--base=".length);
    else throw new UsageError(`changes: unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  if (base === undefined || base === "") throw new UsageError(`changes: --base <git-ref> is required; ${USAGE}`);
  return { base, json };
}

function git(cwd: string, args: readonly string[]): { ok: boolean; stdout: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  return { ok: result.status === 0, stdout: result.stdout ?? "" };
}

function repositoryRoot(cwd: string): string {
  const top = git(cwd, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) throw new UsageError(`changes: ${cwd} is not inside a git repository`);
  return top.stdout.trim();
}

/** `M2M_CONFIG` as a path inside the repository, the same on both sides. */
function configPath(root: string): string {
  const setting = process.env.M2M_CONFIG;
  if (setting === undefined || setting === "") return DEFAULT_CONFIG;
  const inRepository = relative(root, isAbsolute(setting) ? setting : resolve(root, setting));
  if (inRepository.startsWith("..") || isAbsolute(inRepository)) {
    throw new UsageError(`changes: M2M_CONFIG ${JSON.stringify(setting)} is outside the repository, so it has no base version`);
  }
  return inRepository.split("\\").join("/");
}

function commitOf(root: string, ref: string): string {
  const commit = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!commit.ok) throw new UsageError(`changes: --base ${JSON.stringify(ref)} is not a commit in ${root}`);
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
    if (error instanceof RegistryLoadError) throw new InvalidConfigError([`${label}: ${error.message}`]);
    throw error;
  }
  const validation = validateRegistry(registry, { today });
  const problems = [...validation, ...checkQuotas(registry, { alreadyReported: validation })];
  if (hasErrors(problems)) {
    throw new InvalidConfigError(problems.filter((p) => p.severity === "error").map((p) => `${label}: ${formatProblem(p)}`));
  }
  return registry;
}

function loadBase(root: string, commit: string, ref: string, config: string): Registry | undefined {
  if (!git(root, ["cat-file", "-e", `${commit}:${config}`]).ok) return undefined;
  const folder = mkdtempSync(join(tmpdir(), "m2m-changes-base-"));
  try {
    const archive = execFileSync("git", ["archive", "--format=tar", commit], { cwd: root, maxBuffer: 1 << 30 });
    const untar = spawnSync("tar", ["-x", "-C", folder], { input: archive });
    if (untar.status !== 0) throw new Error(`tar could not extract ${ref}: ${untar.stderr.toString().trim()}`);
    const committed = new Date(Number(git(root, ["show", "-s", "--format=%ct", commit]).stdout.trim()) * 1000);
    return loadValid(join(folder, config), `base ${ref}: ${config}`, committed);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function main(args: readonly string[]): number {
  try {
    const options = parseArguments(args);
    const root = repositoryRoot(process.cwd());
    const config = configPath(root);
    const commit = commitOf(root, options.base);
    const headPath = join(root, config);
    if (!existsSync(headPath)) throw new UsageError(`changes: no registry module at ${config} in the working tree`);
    const head = loadValid(headPath, `working tree: ${config}`, new Date());
    const base = loadBase(root, commit, options.base, config);
    const summary = summarizeChanges(options.base, base, head);
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderMarkdown(summary, config));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof InvalidConfigError) {
      for (const line of error.lines) console.error(line);
      return 1;
    }
    console.error(`changes: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
