/**
 * `npm run rotate-secret -- <client> --env <env> [--finish] [--endpoint-url URL]`
 *
 * Without `--finish`: adds a second Cognito secret to the client's app client and makes it AWSCURRENT
 * in the credentials secret (the old one stays readable as AWSPREVIOUS, and keeps working).
 * With `--finish`: deletes the Cognito secret AWSCURRENT does not hold. See docs/rotating-a-secret.md
 * and docs/secret-rotation-internals.md.
 */
import { COMMON_OPTIONS } from "./lib/args";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { operatorTarget } from "./lib/operator-target";
import { finishRotation, formatRotationFinished, formatRotationStarted, startRotation } from "./lib/secret-rotation";

export const USAGE = "npm run rotate-secret -- <client> --env <env> [--finish] [--endpoint-url URL]";

const OPTIONS = { ...COMMON_OPTIONS, finish: { type: "boolean" } } as const;
const COMMAND_LINE = { usage: USAGE, options: OPTIONS, positional: "client key" } as const;

/** Runs the command with `argv` (no node, no script); returns the exit code. */
export async function rotateSecretCommand(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, async ({ values, positionals }) => {
    const { context, aws } = operatorTarget(values, USAGE);
    const target = { context, clientKey: positionals[0] };
    const lines = values.finish
      ? formatRotationFinished(await finishRotation(target, aws), context.environmentName)
      : formatRotationStarted(await startRotation(target, aws), context.environmentName);
    for (const line of lines) output.out(line);
    return 0;
  });
}

if (require.main === module) {
  void rotateSecretCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
