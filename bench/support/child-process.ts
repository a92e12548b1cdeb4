/**
 * Runs a child process for a measurement: wall time from the parent, and the child's own report
 * (a line `BENCH_RESULT <json>` on stdout) when it prints one.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { elapsedMs } from "./stats";

/** Prefix of the line a measuring child prints its JSON result on. */
export const RESULT_PREFIX = "BENCH_RESULT ";

/** A child that exited non-zero or printed no result. */
export class ChildRunError extends Error {
  override readonly name = "ChildRunError";
}

/** Outcome of {@link runChild}. */
export interface ChildRun<T> {
  readonly wallMs: number;
  /** The parsed `BENCH_RESULT` line, if the child printed one. */
  readonly result: T | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runChild}. */
export interface RunChildOptions {
  readonly cwd?: string;
  /** Full environment of the child. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the child after this long. @default 600_000 */
  readonly timeoutMs?: number;
  /**
   * A file the child's stdout goes to, read back when it exits, instead of a pipe to this process. For
   * a child whose writes must never wait on a reader: the authorizer falls back to a queueing
   * `console.log` when a write to a full pipe fails, and the queued lines would count as its memory.
   * @default - a pipe
   */
  readonly stdoutFile?: string;
}

/** Runs `command args` to completion; throws {@link ChildRunError} with its output when it fails. */
export function runChild<T>(command: string, args: readonly string[], options: RunChildOptions = {}): ChildRun<T> {
  const stdoutFd = options.stdoutFile === undefined ? undefined : openSync(options.stdoutFile, "w");
  const start = process.hrtime.bigint();
  let run: SpawnSyncReturns<string>;
  try {
    run = spawnSync(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 600_000,
      stdio: ["ignore", stdoutFd ?? "pipe", "pipe"],
    });
  } finally {
    if (stdoutFd !== undefined) closeSync(stdoutFd);
  }
  const wallMs = elapsedMs(start);
  const stdout = options.stdoutFile === undefined ? run.stdout : readFileSync(options.stdoutFile, "utf8");
  if (run.error) throw new ChildRunError(`${command} ${args.join(" ").slice(0, 200)}: ${run.error.message}`);
  if (run.status !== 0) {
    const output = `${run.stderr}\n${stdout}`.trim().split("\n").slice(-20).join("\n");
    throw new ChildRunError(`${command} exited with ${run.status ?? run.signal}:\n${output}`);
  }
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith(RESULT_PREFIX));
  return {
    wallMs,
    result: line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as T) : undefined,
    stdout,
    stderr: run.stderr,
  };
}
