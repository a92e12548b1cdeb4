/**
 * The shell of every operator CLI: run the command, print what it returns, and turn any failure into
 * one line on stderr and an exit code. Stack traces never reach the terminal: an operator needs to
 * know what to do, and a trace of an AWS error can carry request details nobody asked to see.
 */
import type { ParseArgsConfig } from "node:util";
import { RegistryLoadError } from "../../config/load";
import { parseCommandLine } from "./args";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, InvalidRegistryError, UsageError } from "./errors";

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

/** The flags a command declares; `--help` (`-h`) is added to every command by {@link runCommand}. */
export type CommandOptions = NonNullable<ParseArgsConfig["options"]>;

const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const satisfies CommandOptions;

/** What a command accepts on its command line. */
export interface CommandLine<O extends CommandOptions> {
  /** One line, such as `npm run usage -- --env <env>`: printed by `--help` and ending every usage error. */
  readonly usage: string;
  /** Its flags, as `node:util` `parseArgs` takes them. */
  readonly options: O;
  /**
   * What its one positional argument is, such as `client key`: then exactly one is required.
   * @default - no positional argument is accepted
   */
  readonly positional?: string;
}

/**
 * The pattern of every command (`scripts/*`, `bench/run.ts`): parse `argv` with `parseArgs`, answer
 * `--help` with the usage (exit 0), refuse a bad command line with one `error: …` line (exit 2), then
 * run `command` inside {@link runCli}, so its failures are one line too (exit 1, or the error's code).
 */
export function runCommand<const O extends CommandOptions>(
  argv: readonly string[],
  commandLine: CommandLine<O>,
  output: CliOutput,
  command: (parsed: { values: ParsedValues<O>; positionals: string[] }) => Promise<number>,
): Promise<number> {
  const { usage, options, positional } = commandLine;
  return runCli(async () => {
    const { values, positionals } = parseCommandLine(argv, { ...options, ...HELP_OPTION }, usage);
    // The generic `O` leaves the values' type unresolved here; `help` is there because HELP_OPTION is.
    if ((values as { help?: boolean }).help) {
      output.out(`usage: ${usage}`);
      return EXIT_OK;
    }
    if (positional !== undefined && positionals.length !== 1)
      throw new UsageError(`expected one ${positional}, got ${positionals.length} (usage: ${usage})`);
    if (positional === undefined && positionals.length > 0)
      throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (usage: ${usage})`);
    return command({ values: values as ParsedValues<O>, positionals });
  }, output);
}

/** The values `parseArgs` returns for `options`. */
export type ParsedValues<O extends CommandOptions> = ReturnType<typeof parseCommandLine<O>>["values"];
