/**
 * The validator's contract, checked by brute force: it never throws, and every problem is one line
 * that names an entry. Every value of the valid fixture, at every depth, is replaced in turn by each
 * of a set of wrong values (wrong types, empty, huge, template syntax, non-finite numbers), and the
 * whole section objects and lists are replaced too. A replacement that changes a value's type must be
 * rejected with at least one error.
 */
import { formatProblem, hasErrors } from "../../config/problems";
import type { Registry } from "../../config/schema";
import { validateRegistry } from "../../config/validate";
import fileRegistry from "../fixtures/file-registry/registry";
import { minimalRegistry } from "../fixtures/minimal-registry";
import { TODAY } from "./support";

type Path = readonly (string | number)[];

const WRONG_VALUES: readonly unknown[] = [
  undefined,
  null,
  "",
  " ",
  "${aws_x.y.z}",
  "%{ if true }x%{ endif }",
  "x".repeat(5_000),
  -1,
  0,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  [null],
  {},
  { "": null },
];

/** Every path of a value: its own (the root is `[]`) and those of everything inside it. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [path];
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => pathsOf(item, [...path, index]))
    : Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key]));
  return [path, ...children];
}

function valueAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((current, step) => (current as Record<string | number, unknown>)[step], value);
}

function withValueAt(base: Registry, path: Path, replacement: unknown): Registry {
  const copy = structuredClone(base) as unknown as Record<string, unknown>;
  if (path.length === 0) return replacement as Registry;
  const parent = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = replacement;
  return copy as unknown as Registry;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value;
}

const PROBLEM_LINE =
  /^(error|warning): (registry|environments|resourceServers|routes|tiers|clients|teams|functions)(?:[.[][^\n]*)?: \S/;

// The single-module fixture, and the file-layout one (teams, reviewers and client files too).
const cases = [minimalRegistry as Registry, fileRegistry].flatMap((base) =>
  pathsOf(base).flatMap((path) =>
    WRONG_VALUES.map((replacement) => ({ base, path, replacement, original: valueAt(base, path) })),
  ),
);

test(`${cases.length} malformed registries: the validator never throws, and every problem is one line naming an entry`, () => {
  const thrown: string[] = [];
  const unnamed: string[] = [];
  for (const { base, path, replacement } of cases) {
    try {
      for (const line of validateRegistry(withValueAt(base, path, replacement), { today: TODAY }).map(formatProblem)) {
        if (!PROBLEM_LINE.test(line) || line.includes("\n")) unnamed.push(`${path.join(".")}: ${line}`);
      }
    } catch (error) {
      thrown.push(`${path.join(".")} = ${String(replacement)}: ${String(error)}`);
    }
  }
  expect({ thrown, unnamed }).toEqual({ thrown: [], unnamed: [] });
});

test("every replacement that changes a value's type is rejected with an error", () => {
  const typeChanges = cases.filter(({ original, replacement }) => kindOf(original) !== kindOf(replacement));
  const accepted = typeChanges
    .filter(({ path, original }) => path.length > 0 && kindOf(original) !== "undefined")
    .filter(
      ({ base, path, replacement }) =>
        !hasErrors(validateRegistry(withValueAt(base, path, replacement), { today: TODAY })),
    )
    // Optional settings may be left out: `undefined` there is the default, not a mistake.
    .filter(({ replacement }) => replacement !== undefined)
    .map(({ path, replacement }) => `${path.join(".")} = ${JSON.stringify(replacement) ?? String(replacement)}`);
  expect(typeChanges.length).toBeGreaterThan(1_000);
  expect(accepted).toEqual([]);
});
