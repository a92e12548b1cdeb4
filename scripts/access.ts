/**
 * `npm run access -- [--env <env>] [--client <key>] [--json]`: which client may call which route, per
 * environment, as the authorizer's policy will allow it (`scripts/lib/client-access.ts`). From the
 * registry alone, no cloud access. Exit codes: 0 printed; 1 the registry does not validate (its
 * problems are printed); 2 bad arguments.
 */
import { loadRegistry } from "../config/load";
import type { Registry } from "../config/schema";
import { type CliOutput, processOutput, runCommand } from "./lib/cli";
import { assertValidRegistry } from "./lib/valid-registry";
import { clientAccess, parsedRoutes } from "./lib/client-access";
import { EXIT_OK, UsageError } from "./lib/errors";

export const USAGE = "npm run access -- [--env <env>] [--client <key>] [--json]";

const OPTIONS = { env: { type: "string" }, client: { type: "string" }, json: { type: "boolean" } } as const;
const COMMAND_LINE = { usage: USAGE, options: OPTIONS } as const;

/** One environment's matrix. */
export interface AccessMatrix {
  readonly environment: string;
  /** Every route of the environment, in registry order. */
  readonly routes: readonly string[];
  readonly clients: readonly {
    readonly client: string;
    readonly routes: readonly string[];
    readonly limited: readonly string[];
  }[];
}

/** The matrices of `environments`, each limited to `client` when given. */
export function accessMatrices(registry: Registry, environments: readonly string[], client?: string): AccessMatrix[] {
  const routes = parsedRoutes(registry).map((route) => route.key);
  return environments.map((environment) => ({
    environment,
    routes,
    clients: [...clientAccess(registry, environment)]
      .filter(([key]) => client === undefined || key === client)
      .map(([key, access]) => ({ client: key, routes: access.routes, limited: access.limited })),
  }));
}

const ALLOWED = "✓";
const LIMITED = "◐";
const REFUSED = "·";

/** A matrix as a Markdown table, a client per row, a route per column. */
export function renderAccessMatrix(matrix: AccessMatrix): string[] {
  const cell = (client: AccessMatrix["clients"][number], route: string) =>
    client.limited.includes(route) ? LIMITED : client.routes.includes(route) ? ALLOWED : REFUSED;
  const lines = [
    `## ${matrix.environment}`,
    "",
    `| client | ${matrix.routes.map((route) => `\`${route}\``).join(" | ")} |`,
    `| --- | ${matrix.routes.map(() => ":---:").join(" | ")} |`,
    ...matrix.clients.map(
      (client) => `| \`${client.client}\` | ${matrix.routes.map((route) => cell(client, route)).join(" | ")} |`,
    ),
  ];
  if (matrix.clients.length === 0) lines.push("", "No client in this environment.");
  return lines;
}

export async function accessCommand(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  return runCommand(argv, COMMAND_LINE, output, async ({ values }) => {
    const { registry, source } = loadRegistry(process.env.M2M_CONFIG);
    assertValidRegistry(registry, source);
    const known = Object.keys(registry.environments);
    if (values.env !== undefined && !known.includes(values.env)) {
      throw new UsageError(
        `--env ${JSON.stringify(values.env)} is not an environment of the registry (one of: ${known.join(", ")})`,
      );
    }
    const environments = values.env === undefined ? known : [values.env];
    if (values.client !== undefined && !registry.clients.some((c) => c.key === values.client)) {
      throw new UsageError(`--client ${JSON.stringify(values.client)} is not a client of the registry`);
    }
    const matrices = accessMatrices(registry, environments, values.client).filter(
      (matrix) => values.client === undefined || matrix.clients.length > 0,
    );
    if (values.json) {
      output.out(JSON.stringify({ environments: matrices }, null, 2));
      return EXIT_OK;
    }
    output.out(`# Who may call what (${ALLOWED} may, ${LIMITED} only some paths, ${REFUSED} may not)`);
    for (const matrix of matrices) for (const line of ["", ...renderAccessMatrix(matrix)]) output.out(line);
    return EXIT_OK;
  });
}

if (require.main === module) {
  void accessCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
