/**
 * `npm run credentials -- <client> --env <env> [--reveal] [--endpoint-url URL]`
 *
 * Prints what a partner needs: token URL, client id, scopes, API base URL, the secret's ARN and the
 * command that reads it. The secret itself only with `--reveal`, and only to a terminal.
 * See docs/credentials.md.
 */
import { COMMON_OPTIONS } from "./lib/args";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { operatorTarget } from "./lib/operator-target";
import {
  assertCanReveal,
  formatPartnerCredentials,
  lookUpPartnerCredentials,
  readClientSecret,
} from "./lib/partner-credentials";

export const USAGE = "npm run credentials -- <client> --env <env> [--reveal] [--endpoint-url URL]";

const OPTIONS = { ...COMMON_OPTIONS, reveal: { type: "boolean" } } as const;
const COMMAND_LINE = { usage: USAGE, options: OPTIONS, positional: "client key" } as const;

/**
 * Runs the command with `argv` (no node, no script); returns the exit code.
 * @param stdoutIsTTY whether the output goes to a terminal; @default process.stdout.isTTY
 */
export async function credentialsCommand(
  argv: readonly string[],
  output: CliOutput = processOutput,
  stdoutIsTTY: boolean | undefined = process.stdout.isTTY,
): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, async ({ values, positionals }) => {
    // Before any AWS call: a refused --reveal must not even read the secret.
    if (values.reveal) assertCanReveal(stdoutIsTTY);
    const { context, aws } = operatorTarget(values, USAGE);
    const credentials = await lookUpPartnerCredentials(context, positionals[0], aws);
    const secret = values.reveal ? await readClientSecret(aws.secretsManager, credentials) : undefined;
    for (const line of formatPartnerCredentials(credentials, secret)) output.out(line);
    return 0;
  });
}

if (require.main === module) {
  void credentialsCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
