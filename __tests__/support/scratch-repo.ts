/**
 * A temporary git repository holding the project's `config/` and `model/` but none of its registry,
 * for commands that read a registry from git history (`changes`, `reshard`). Each test writes its own
 * registry into it and commits. The repository has no node_modules: scripts run with the project's
 * own tsx, never `npx` there.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** The repository this test suite belongs to. */
export const PROJECT = resolve(__dirname, "..", "..");
const TSX = join(PROJECT, "node_modules", ".bin", "tsx");
const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};
const REGISTRY = /config[\\/](platform|clients|registry\.ts)/;

export interface ScratchRepo {
  readonly dir: string;
  /** Runs git in the repository; throws with git's message when it fails. */
  git(...args: string[]): string;
  /** Writes a file at a path relative to the repository, creating its folders. */
  write(path: string, text: string): void;
  /** Stages everything and commits. */
  commit(message: string): void;
  /** Runs one of the project's scripts with tsx in the repository. */
  runScript(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  remove(): void;
}

export function createScratchRepo(prefix: string): ScratchRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const git = (...args: string[]): string => {
    const result = spawnSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, ...GIT_IDENTITY } });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
    return result.stdout;
  };
  git("init", "-q", "-b", "main");
  cpSync(join(PROJECT, "config"), join(dir, "config"), { recursive: true, filter: (path) => !REGISTRY.test(path) });
  cpSync(join(PROJECT, "model"), join(dir, "model"), { recursive: true });
  return {
    dir,
    git,
    write: (path, text) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    commit: (message) => {
      git("add", "-A");
      git("commit", "-q", "-m", message);
    },
    runScript: (script, args, env = {}) =>
      spawnSync(TSX, [join(PROJECT, "scripts", script), ...args], {
        cwd: dir,
        encoding: "utf8",
        // An empty M2M_CONFIG is the default registry: never one the test runner happens to have set.
        env: { ...process.env, ...GIT_IDENTITY, M2M_CONFIG: "", ...env },
        timeout: 60_000,
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
