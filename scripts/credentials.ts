/**
 * `npm run credentials -- <client> --env <env> [--reveal] [--endpoint-url URL]`
 *
 * Prints what a partner needs: token URL, client id, scopes, API base URL, the secret's ARN and the
 * command that reads it. The secret itself only with `--reveal`, and only to a terminal.
 * See docs/credentials.md.
 */
import { loadRegistry } from "../config/load";
import { COMMON_OPTIONS, parseCommandLine, requireEnvironment } from "./lib/args";
import { createAwsClients } from "./lib/aws-clients";
import { type CliOutput, processOutput, runCli } from "./lib/cli";
import { environmentContext } from "./lib/environment-context";
import { UsageError } from "./lib/errors";
import {
  assertCanReveal,
  formatPartnerCredentials,
  lookUpPartnerCredentials,
  readClientSecret,
} from "./lib/partner-credentials";

export const USAGE = "npm run credentials -- <client> --env <env> [--reveal] [--endpoint-url URL]";

/**
 * Runs the command with `argv` (no node, no script); returns the exit code.
 * @param stdoutIsTTY whether the output goes to a terminal; @default process.stdout.isTTY
 */
export async function credentialsCommand(
  argv: readonly string[],
  output: CliOutput = processOutput,
  stdoutIsTTY: boolean | undefined = process.stdout.isTTY,
): Promise<number> {
  return runCli(async () => {
    const { values, positionals } = parseCommandLine(argv, { ...COMMON_OPTIONS, reveal: { type: "boolean" } }, USAGE);
    if (values.help) {
      output.out(`usage: ${USAGE}`);
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(`expected one client key, got ${positionals.length} (usage: ${USAGE})`);
    // Before any AWS call: a refused --reveal must not even read the secret.
    if (values.reveal) assertCanReveal(stdoutIsTTY);
    const { registry } = loadRegistry(process.env.M2M_CONFIG);
    const environmentName = requireEnvironment(values.env, Object.keys(registry.environments), USAGE);
    const context = environmentContext(registry, environmentName);
    const clients = createAwsClients(context.environment.region, values["endpoint-url"]);
    const credentials = await lookUpPartnerCredentials(context, positionals[0], clients);
    const secret = values.reveal ? await readClientSecret(clients.secretsManager, credentials) : undefined;
    for (const line of formatPartnerCredentials(credentials, secret)) output.out(line);
    return 0;
  }, output);
}

if (require.main === module) {
  void credentialsCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
