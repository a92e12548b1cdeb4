/**
 * `reshard/<env>.json`, the client moves beside the registry module: read and checked like the
 * registry, every problem one line naming the file, the move and the field, never a throw.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClientMove, checkMovesFile, loadClientMoves } from "../../config/client-moves";
import { ProblemCollector, formatProblem } from "../../config/problems";
import type { Registry } from "../../config/schema";
import { minimalRegistry } from "../fixtures/minimal-registry";

/** Dev over three shards: globex-orders lives in dev-clients-1. */
const REGISTRY: Registry = {
  ...minimalRegistry,
  environments: { ...minimalRegistry.environments, dev: { ...minimalRegistry.environments.dev, clientShards: 3 } },
};

const GOOD_MOVE: ClientMove = {
  client: "globex-orders",
  from: "dev",
  to: "dev-clients-1",
  imports: { "aws_api_gateway_api_key.globex-orders": "abc123" },
  forget: ["aws_api_gateway_api_key.globex-orders", "aws_secretsmanager_secret_version.globex-orders"],
};

let folder: string;
beforeEach(() => (folder = mkdtempSync(join(tmpdir(), "m2m-moves-"))));
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Writes `reshard/<name>` beside a registry module in the scratch folder and loads every file there. */
function load(files: Record<string, string>) {
  mkdirSync(join(folder, "reshard"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, "reshard", name), text);
  const loaded = loadClientMoves(join(folder, "registry.ts"), REGISTRY, folder);
  return { moves: loaded.moves, lines: loaded.problems.map(formatProblem) };
}

const file = (moves: unknown[], environment = "dev") => JSON.stringify({ environment, moves });

test("GIVEN no reshard folder THEN there are no moves and no problems", () => {
  expect(loadClientMoves(join(folder, "registry.ts"), REGISTRY, folder)).toEqual({ moves: new Map(), problems: [] });
});

test("GIVEN the file npm run reshard writes THEN its moves are the environment's", () => {
  const { moves, lines } = load({ "dev.json": file([GOOD_MOVE]) });
  expect(lines).toEqual([]);
  expect(moves.get("dev")).toEqual([GOOD_MOVE]);
});

test("GIVEN a file that is not JSON, or names another environment THEN each is one line naming the file", () => {
  const { moves, lines } = load({ "dev.json": "{ moves: [", "staging.json": file([], "staging") });
  expect(lines).toEqual([
    "error: reshard/dev.json: must be JSON as npm run reshard writes it; got text that is not JSON",
    'error: reshard/staging.json.environment: must be the environment the file is named after, "staging", and one of the registry\'s; got "staging"',
  ]);
  expect(moves.size).toBe(0);
});

test("GIVEN moves wrong in every field THEN every problem is one line, and none of the file's moves is used", () => {
  const { moves, lines } = load({
    "dev.json": file([
      { ...GOOD_MOVE, client: "initech-reports" },
      { ...GOOD_MOVE, to: "dev-clients-2", from: "staging" },
      {
        ...GOOD_MOVE,
        client: "acme-billing",
        to: "dev-clients-0",
        forget: ["aws_api_gateway_api_key.globex-orders"],
        imports: { "aws_secretsmanager_secret_version.acme-billing": "x", "aws_api_gateway_api_key.acme-billing": " " },
      },
    ]),
  });
  expect(lines).toEqual([
    'error: reshard/dev.json.moves[0].client: must be a client of dev, named in one move only; got "initech-reports"',
    'error: reshard/dev.json.moves[1].to: must be "dev-clients-1", where clientShards 3 puts globex-orders (run npm run reshard -- --env dev again after changing clientShards); got "dev-clients-2"',
    'error: reshard/dev.json.moves[1].from: must be another stack of dev (dev or dev-clients-<n>); got "staging"',
    "error: reshard/dev.json.moves[2].forget: must list addresses of acme-billing's resources (<type>.acme-billing); got a list",
    'error: reshard/dev.json.moves[2].imports["aws_secretsmanager_secret_version.acme-billing"]: must be the address of a resource of acme-billing that is imported, not written again; got "aws_secretsmanager_secret_version.acme-billing"',
    'error: reshard/dev.json.moves[2].imports["aws_api_gateway_api_key.acme-billing"]: must be the resource\'s import id; got " "',
  ]);
  expect(moves.size).toBe(0);
});

test("GIVEN every field of a move replaced by each of 12 wrong values (but an empty imports map) THEN the check never throws and always reports", () => {
  const wrong = [undefined, null, 0, 1.5, true, "", "x", [], [1], {}, { a: 1 }, "dev-clients-99"];
  let checked = 0;
  for (const field of Object.keys(GOOD_MOVE) as (keyof ClientMove)[]) {
    for (const value of wrong) {
      // No import at all is a valid move: a client whose old state held only its secret's value.
      if (field === "imports" && JSON.stringify(value) === "{}") continue;
      const collector = new ProblemCollector();
      const moves = checkMovesFile(
        { environment: "dev", moves: [{ ...GOOD_MOVE, [field]: value }] },
        "dev",
        REGISTRY,
        collector,
        "f",
      );
      expect({ field, value, moves, reported: collector.problems.length > 0 }).toEqual({
        field,
        value,
        moves: undefined,
        reported: true,
      });
      checked += 1;
    }
  }
  expect(checked).toBe(59);
});
