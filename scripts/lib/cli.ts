/**
 * The shell of every operator CLI: run the command, print what it returns, and turn any failure into
 * one line on stderr and an exit code. Stack traces never reach the terminal: an operator needs to
 * know what to do, and a trace of an AWS error can carry request details nobody asked to see.
 */
import { RegistryLoadError } from "../../config/load";
import { CliError, EXIT_FAILURE, EXIT_USAGE, InvalidRegistryError } from "./errors";

/** Where a command writes; `process.stdout`/`process.stderr` in the CLIs, buffers in tests. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The process's own streams. */
export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The one line an operator sees for a failure. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof RegistryLoadError) return { message: error.message, exitCode: EXIT_USAGE };
  if (error instanceof Error) {
    // AWS SDK errors carry the service's error code as `name` (AccessDeniedException, …).
    const firstLine = error.message.split("\n")[0];
    const isAws = typeof (error as { $metadata?: unknown }).$metadata === "object";
    return {
      message: isAws ? `AWS ${error.name}: ${firstLine}` : `${error.name}: ${firstLine}`,
      exitCode: EXIT_FAILURE,
    };
  }
  return { message: String(error), exitCode: EXIT_FAILURE };
}

/**
 * Runs a command and returns its exit code; prints `error: <one line>` on failure.
 * @param command returns the exit code of a run that finished (0 unless it has findings to signal)
 */
export async function runCli(command: () => Promise<number>, output: CliOutput = processOutput): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof InvalidRegistryError) {
      for (const line of error.lines) output.err(line);
      return error.exitCode;
    }
    const failure = describeFailure(error);
    output.err(`error: ${failure.message}`);
    return failure.exitCode;
  }
}
