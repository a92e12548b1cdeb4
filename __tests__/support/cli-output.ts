/** Runs a command with its output captured, for exact assertions on every line it prints. */
import type { CliOutput } from "../../scripts/lib/cli";

/** A finished command: its exit code and the lines it wrote to stdout and stderr. */
export interface CommandRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** How to run the command. */
export interface CaptureOptions {
  /** The registry module, set as `M2M_CONFIG` for the run and put back after. @default - as it is */
  readonly config?: string;
}

/** Runs `command` with an output that records each line. */
export async function captureCommand(
  command: (output: CliOutput) => Promise<number>,
  options: CaptureOptions = {},
): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.env.M2M_CONFIG;
  if (options.config !== undefined) process.env.M2M_CONFIG = options.config;
  try {
    const code = await command({ out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out, err };
  } finally {
    if (previous === undefined) delete process.env.M2M_CONFIG;
    else process.env.M2M_CONFIG = previous;
  }
}
