/**
 * `npm run codeowners [-- --check]`: writes `.github/CODEOWNERS` from the registry's teams, so each
 * team reviews its own client files (`config/clients/<team>/`) and the platform team everything else
 * (`config/platform/` and the code). `--check` writes nothing and fails when the committed file is
 * stale, naming the command to run; CI runs it. Exit codes: 0 written or current; 1 stale, or the
 * registry does not validate; 2 bad arguments or a registry without teams.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { loadRegistry } from "../config/load";
import type { Registry } from "../config/schema";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { assertValidRegistry } from "./lib/valid-registry";
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError } from "./lib/errors";

export const USAGE = "npm run codeowners [-- --check]";

const COMMAND_LINE = { usage: USAGE, options: { check: { type: "boolean" } } } as const;

/** Where GitHub reads code owners from. */
export const CODEOWNERS_FILE = join(".github", "CODEOWNERS");

/** The folder the client files are in: where the registry found them, else the default layout. */
function clientsFolder(registry: Registry): string {
  const first = registry.clientFiles?.[0]?.file;
  return first ? posix.dirname(posix.dirname(first)) : "config/clients";
}

/** The CODEOWNERS text for a registry with teams. */
export function renderCodeowners(registry: Registry): string {
  const teams = registry.teams ?? {};
  const folder = clientsFolder(registry);
  const width = Math.max(1, ...Object.keys(teams).map((team) => `/${folder}/${team}/`.length));
  const row = (pattern: string, owners: readonly string[]) => `${pattern.padEnd(width)}  ${owners.join(" ")}`;
  return [
    "# Written by `npm run codeowners` from the registry's teams; do not edit by hand: CI fails when it is stale.",
    "# The last matching pattern wins: the platform team owns everything, each team its own client folder.",
    "",
    row("*", registry.platformReviewers ?? []),
    ...Object.entries(teams).flatMap(([team, config]) => [
      "",
      `# ${team}${config.description ? `: ${config.description}` : ""}`,
      row(`/${folder}/${team}/`, config.reviewers),
    ]),
    "",
  ].join("\n");
}

export async function codeownersCommand(
  argv: readonly string[],
  output: CliOutput = processOutput,
  cwd: string = process.cwd(),
): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, async ({ values }) => {
    const { registry, source } = loadRegistry(process.env.M2M_CONFIG, cwd);
    assertValidRegistry(registry, source);
    if (!registry.teams || Object.keys(registry.teams).length === 0) {
      throw new UsageError(`${source} declares no teams: CODEOWNERS comes from the teams of config/platform/teams.ts`);
    }
    const wanted = renderCodeowners(registry);
    const file = join(cwd, CODEOWNERS_FILE);
    const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (values.check) {
      if (current !== wanted) {
        throw new CliError(
          `${CODEOWNERS_FILE} ${current === undefined ? "is missing" : "is stale"}: run npm run codeowners and commit the result`,
          EXIT_FAILURE,
        );
      }
      output.out(`${CODEOWNERS_FILE} is current`);
      return EXIT_OK;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, wanted);
    output.out(`${current === wanted ? "unchanged" : "wrote"} ${CODEOWNERS_FILE}`);
    return EXIT_OK;
  });
}

if (require.main === module) {
  void codeownersCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
