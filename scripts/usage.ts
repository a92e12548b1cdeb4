/**
 * `npm run usage -- --env <env> [--from YYYY-MM-DD --to YYYY-MM-DD] [--json] [--endpoint-url URL]`
 *
 * Per client of an environment: tier, quota, requests used, quota remaining, share used and throttle,
 * highest share first; clients above 80 % flagged. See docs/usage-report.md.
 */
import { COMMON_OPTIONS } from "./lib/args";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { resolveDateRange } from "./lib/date-range";
import { operatorTarget } from "./lib/operator-target";
import { buildUsageReport } from "./lib/usage-report";
import { formatUsageReport } from "./lib/usage-table";

export const USAGE = "npm run usage -- --env <env> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--endpoint-url URL]";

const OPTIONS = {
  ...COMMON_OPTIONS,
  from: { type: "string" },
  to: { type: "string" },
  json: { type: "boolean" },
} as const;
const COMMAND_LINE = { usage: USAGE, options: OPTIONS } as const;

/** Runs the command with `argv` (no node, no script); returns the exit code. */
export async function usageCommand(
  argv: readonly string[],
  output: CliOutput = processOutput,
  today: Date = new Date(),
): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, async ({ values }) => {
    const { context, aws } = operatorTarget(values, USAGE);
    const range = resolveDateRange({ from: values.from, to: values.to, today });
    const report = await buildUsageReport({ context, range, apiGateway: aws.apiGateway });
    if (values.json) output.out(JSON.stringify(report, null, 2));
    else for (const line of formatUsageReport(report)) output.out(line);
    return 0;
  });
}

if (require.main === module) {
  void usageCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
