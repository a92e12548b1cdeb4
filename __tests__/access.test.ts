/**
 * `npm run access`: the client × route matrix of each environment, exactly as printed, from the
 * authorizer's own policy code, with a route whose Deny only partly covers another marked as such.
 */
import { accessCommand } from "../scripts/access";
import { captureCommand } from "./support/cli-output";

const SAMPLE = "__tests__/fixtures/sample-registry.ts";
const CONFLICTS = "__tests__/fixtures/conflicting-routes-registry.ts";

function access(config: string, ...argv: string[]) {
  return captureCommand((output) => accessCommand(argv, output), { config });
}

const HEADER =
  "| client | `GET /whoami` | `GET /orders` | `POST /orders` | `GET /orders/{orderId}` | `DELETE /orders/{orderId}` | `GET /inventory/items/{sku}` | `POST /inventory/items/{sku}/reservations` |";

test("GIVEN an environment THEN one row per client, one column per route, ✓ where the client's scopes open it", async () => {
  expect(await access(SAMPLE, "--env", "staging")).toEqual({
    code: 0,
    err: [],
    out: [
      "# Who may call what (✓ may, ◐ only some paths, · may not)",
      "",
      "## staging",
      "",
      HEADER,
      "| --- | :---: | :---: | :---: | :---: | :---: | :---: | :---: |",
      "| `acme-billing` | ✓ | ✓ | · | ✓ | · | · | · |",
      "| `globex-fulfilment` | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |",
      "| `warehouse-bot` | ✓ | · | · | · | · | ✓ | ✓ |",
      "| `load-test-runner` | ✓ | ✓ | ✓ | ✓ | ✓ | · | · |",
    ],
  });
});

test("GIVEN --client THEN only its row, in every environment it is deployed to", async () => {
  const { code, out } = await access(SAMPLE, "--client", "initech-reports");
  expect(code).toBe(0);
  expect(out.filter((line) => line.startsWith("## ") || line.includes("initech-reports"))).toEqual([
    "## dev",
    "| `initech-reports` | ✓ | · | · | · | · | ✓ | · |",
    "## prod",
    "| `initech-reports` | ✓ | · | · | · | · | ✓ | · |",
  ]);
});

test("GIVEN --json THEN the same as data, with the routes a conflicting Deny covers in part", async () => {
  const { code, out } = await access(CONFLICTS, "--json", "--env", "dev");
  expect(code).toBe(0);
  expect(JSON.parse(out.join("\n"))).toEqual({
    environments: [
      {
        environment: "dev",
        routes: ["GET /files/{name}", "GET /files/{name}/meta", "GET /files/{name}/{version}/meta"],
        clients: [
          {
            client: "reader",
            routes: ["GET /files/{name}", "GET /files/{name}/{version}/meta"],
            limited: ["GET /files/{name}/{version}/meta"],
          },
        ],
      },
    ],
  });
});

test.each([
  [["--env", "qa"], 2, 'error: --env "qa" is not an environment of the registry (one of: dev, staging, prod)'],
  [["--client", "nobody"], 2, 'error: --client "nobody" is not a client of the registry'],
  [
    ["--verbose"],
    2,
    "error: Unknown option '--verbose' (usage: npm run access -- [--env <env>] [--client <key>] [--json])",
  ],
] as const)("%j exits %i with one line", async (argv, code, line) => {
  expect(await access(SAMPLE, ...argv)).toEqual({ code, out: [], err: [line] });
});

test("--help prints the usage and exits 0", async () => {
  expect(await access(SAMPLE, "--help")).toEqual({
    code: 0,
    out: ["usage: npm run access -- [--env <env>] [--client <key>] [--json]"],
    err: [],
  });
});
