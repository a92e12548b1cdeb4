/**
 * `npm run rotate-secret -- <client> --env <env> [--finish] [--endpoint-url URL]`
 *
 * Without `--finish`: adds a second Cognito secret to the client's app client and makes it AWSCURRENT
 * in the credentials secret (the old one stays readable as AWSPREVIOUS, and keeps working).
 * With `--finish`: deletes the Cognito secret AWSCURRENT does not hold. See docs/rotating-a-secret.md
 * and docs/secret-rotation-internals.md.
 */
import { loadRegistry } from "../config/load";
import { COMMON_OPTIONS, requireEnvironment } from "./lib/args";
import { createAwsClients } from "./lib/aws-clients";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { environmentContext } from "./lib/environment-context";
import { finishRotation, formatRotationFinished, formatRotationStarted, startRotation } from "./lib/secret-rotation";

export const USAGE = "npm run rotate-secret -- <client> --env <env> [--finish] [--endpoint-url URL]";

/** Runs the command with `argv` (no node, no script); returns the exit code. */
export async function rotateSecretCommand(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  const commandLine = {
    usage: USAGE,
    options: { ...COMMON_OPTIONS, finish: { type: "boolean" } },
    positional: "client key",
  } as const;
  return runCommand(argv, commandLine, output, async ({ values, positionals }) => {
    const { registry } = loadRegistry(process.env.M2M_CONFIG);
    const environmentName = requireEnvironment(values.env, Object.keys(registry.environments), USAGE);
    const context = environmentContext(registry, environmentName);
    const { cognito, secretsManager } = createAwsClients(context.environment.region, values["endpoint-url"]);
    const target = { context, clientKey: positionals[0] };
    const lines = values.finish
      ? formatRotationFinished(await finishRotation(target, { cognito, secretsManager }), environmentName)
      : formatRotationStarted(await startRotation(target, { cognito, secretsManager }), environmentName);
    for (const line of lines) output.out(line);
    return 0;
  });
}

if (require.main === module) {
  void rotateSecretCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
