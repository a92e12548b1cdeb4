/**
 * The one error type of every command (`scripts/*`, `bench/run.ts`): `runCli` turns it into one
 * `error: …` line and its exit code, never a stack trace. Anything else is a bug or an AWS failure,
 * reported by `runCli` as one line too.
 */

/** Exit code of a run that did its job. */
export const EXIT_OK = 0;
/** Exit code of a run that failed because of its input: unknown flag, bad date, unknown client. */
export const EXIT_USAGE = 2;
/** Exit code of a run that could not do its job: not deployed, refused, AWS said no. */
export const EXIT_FAILURE = 1;

/** A failure with a message meant for the operator and the exit code that goes with it. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Bad command-line input. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = "UsageError";
  }
}

/** Something the config names is missing from AWS (pool, app client, secret, usage plan): exit 1. */
export class NotDeployedError extends CliError {
  override readonly name = "NotDeployedError";
}

/** A state in which acting would break a partner, so the command stops before changing anything: exit 1. */
export class RefusedError extends CliError {
  override readonly name = "RefusedError";
}

/**
 * A registry that does not load or validate: its problems, one formatted line each (`error: …`),
 * printed as they are.
 */
export class InvalidRegistryError extends CliError {
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"), EXIT_FAILURE);
    this.name = "InvalidRegistryError";
  }
}
