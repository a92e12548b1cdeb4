/**
 * A registry as it is in the working tree and as it was at a git ref, for the commands that compare
 * the two (`changes`, `reshard`). The repository is the one around the working directory; the registry
 * module is `M2M_CONFIG` (relative to the repository root) or `config/registry.ts`, on both sides. The
 * base side is the whole tree at the ref, extracted with `git archive`, so a registry that imports its
 * schema (or anything else in the repository) loads as it was then.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { RegistryLoadError, loadRegistry } from "../../config/load";
import type { Registry } from "../../config/schema";
import { CliError, InvalidRegistryError, UsageError } from "./errors";
import { assertValidRegistry } from "./valid-registry";

const DEFAULT_CONFIG = "config/registry.ts";

function git(cwd: string, args: readonly string[]): { ok: boolean; stdout: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  return { ok: result.status === 0, stdout: result.stdout ?? "" };
}

/** Where the registry lives in a repository, and the commit a ref names. */
export interface RegistryRepository {
  /** The repository's top folder. */
  readonly root: string;
  /** The registry module, relative to the root, `/`-separated. */
  readonly config: string;
  /** The registry module in the working tree. */
  readonly headPath: string;
}

/** The repository around `cwd` and the registry module in it; a usage error when there is none. */
export function registryRepository(cwd: string): RegistryRepository {
  const top = git(cwd, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) throw new UsageError(`${cwd} is not inside a git repository`);
  const root = top.stdout.trim();
  const setting = process.env.M2M_CONFIG;
  let config = DEFAULT_CONFIG;
  if (setting !== undefined && setting !== "") {
    const inRepository = relative(root, isAbsolute(setting) ? setting : resolve(root, setting));
    if (inRepository.startsWith("..") || isAbsolute(inRepository)) {
      throw new UsageError(
        `M2M_CONFIG ${JSON.stringify(setting)} is outside the repository, so it has no base version`,
      );
    }
    config = inRepository.split("\\").join("/");
  }
  const headPath = join(root, config);
  if (!existsSync(headPath)) throw new UsageError(`no registry module at ${config} in the working tree`);
  return { root, config, headPath };
}

/** The commit `ref` names; a usage error naming the option when it names none. */
export function commitOf(repository: RegistryRepository, ref: string, option = "--base"): string {
  const commit = git(repository.root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!commit.ok) throw new UsageError(`${option} ${JSON.stringify(ref)} is not a commit in ${repository.root}`);
  return commit.stdout.trim();
}

/**
 * Loads a registry module and validates it as synth would (validator and quota guard). `today` is
 * the day expiry is judged on: the base is judged on the day it was committed, so a client that
 * has expired since does not stop the very change that removes it.
 */
export function loadValidRegistry(modulePath: string, label: string, today: Date = new Date()): Registry {
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

/** The registry at `commit`, validated as of the day it was committed; undefined when it had none. */
export function loadBaseRegistry(repository: RegistryRepository, commit: string, ref: string): Registry | undefined {
  const { root, config } = repository;
  if (!git(root, ["cat-file", "-e", `${commit}:${config}`]).ok) return undefined;
  const folder = mkdtempSync(join(tmpdir(), "m2m-base-"));
  try {
    const archive = execFileSync("git", ["archive", "--format=tar", commit], { cwd: root, maxBuffer: 1 << 30 });
    const untar = spawnSync("tar", ["-x", "-C", folder], { input: archive });
    if (untar.status !== 0) throw new CliError(`tar could not extract ${ref}: ${untar.stderr.toString().trim()}`);
    const committed = new Date(Number(git(root, ["show", "-s", "--format=%ct", commit]).stdout.trim()) * 1000);
    return loadValidRegistry(join(folder, config), `base ${ref}: ${config}`, committed);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
