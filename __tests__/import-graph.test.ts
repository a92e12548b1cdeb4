/**
 * The layering of the code, checked on the real import graph: `model/` (names, limits, defaults,
 * route grammar) depends on nothing of ours; `config/` and `functions/` only on `model/`; `stacks/`
 * and `scripts/` on `config/` and `model/`; only synthesis (`main.ts`, `stacks/`), the tests and the
 * benchmarks import `stacks/`. No file is part of an import cycle, type imports included.
 */
import { join } from "node:path";
import { importCycles, layeringViolations, readImportGraph, type ImportGraph } from "./support/import-graph";

const REPO_ROOT = join(__dirname, "..");

/** Which layers each layer may import, besides itself. Layers not listed (tests, bench) may import any. */
const ALLOWED_IMPORTS = {
  model: [],
  config: ["model"],
  functions: ["model"],
  stacks: ["config", "model"],
  scripts: ["config", "model"],
  "main.ts": ["config", "stacks", "model"],
} as const;

const { graph, unresolved } = readImportGraph(REPO_ROOT);

test("GIVEN every TypeScript file of the repository THEN each relative import names a file", () => {
  expect(unresolved).toEqual([]);
  expect(graph.get("main.ts")).toEqual(expect.arrayContaining(["stacks/synthesize.ts", "config/load.ts"]));
  expect(graph.size).toBeGreaterThan(100);
});

test("GIVEN the import graph THEN no file is part of an import cycle", () => {
  expect(importCycles(graph)).toEqual([]);
});

test("GIVEN the import graph THEN every layer imports only the layers below it", () => {
  expect(layeringViolations(graph, ALLOWED_IMPORTS)).toEqual([]);
});

test("GIVEN the import graph THEN only synthesis, the tests and the benchmarks import stacks/", () => {
  const importers = new Set(
    [...graph]
      .filter(([, targets]) => targets.some((t) => t.startsWith("stacks/")))
      .map(([file]) => file.split("/")[0]),
  );
  expect([...importers].sort()).toEqual(["__tests__", "bench", "main.ts", "stacks"]);
});

describe("the checks themselves", () => {
  const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  test("GIVEN a cycle through a type import and a file that imports itself THEN both are reported, sorted", () => {
    const cyclic = graphOf({
      "config/validate-routes.ts": ["config/validate-index.ts"],
      "config/validate-index.ts": ["config/validate-clients.ts"],
      "config/validate-clients.ts": ["config/validate-routes.ts", "model/names.ts"],
      "model/names.ts": [],
      "model/self.ts": ["model/self.ts"],
    });
    expect(importCycles(cyclic)).toEqual([
      ["config/validate-clients.ts", "config/validate-index.ts", "config/validate-routes.ts"],
      ["model/self.ts"],
    ]);
  });

  test("GIVEN model importing config and config importing stacks THEN each is one line", () => {
    const upside = graphOf({
      "model/names.ts": ["config/schema.ts"],
      "config/schema.ts": ["stacks/naming.ts", "model/names.ts"],
      "stacks/naming.ts": [],
    });
    expect(layeringViolations(upside, ALLOWED_IMPORTS)).toEqual([
      "config/schema.ts → stacks/naming.ts",
      "model/names.ts → config/schema.ts",
    ]);
  });
});
