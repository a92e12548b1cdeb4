/**
 * Command-line parsing shared by the operator CLIs, on `node:util` `parseArgs`: unknown flags and
 * missing values become a {@link UsageError} with one line that names the flag.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors";

/** Flags every operator CLI that reads AWS accepts (`--help` every command has). */
export const COMMON_OPTIONS = {
  env: { type: "string" },
  "endpoint-url": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** Parses `argv` (without node and the script) or throws a {@link UsageError} naming the problem. */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: O,
  usage: string,
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node prefixes the message with the error code in some contexts ("TypeError [ERR_…]: ").
    const reason = (error instanceof Error ? error.message.split("\n")[0] : String(error)).replace(
      /^\w+ \[ERR_[A-Z_]+\]: /,
      "",
    );
    throw new UsageError(`${reason.replace(/\. To specify a positional.*$/, "")} (usage: ${usage})`);
  }
}

/** The value of `--env`, or a usage error naming the environments the registry has. */
export function requireEnvironment(value: string | undefined, known: readonly string[], usage: string): string {
  if (!value) throw new UsageError(`--env is required, one of: ${known.join(", ")} (usage: ${usage})`);
  if (!known.includes(value)) {
    throw new UsageError(
      `--env ${JSON.stringify(value)} is not an environment of the registry (one of: ${known.join(", ")})`,
    );
  }
  return value;
}
