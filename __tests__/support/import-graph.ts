/**
 * The repository's import graph, read with the TypeScript compiler's own pre-processor: every
 * relative `import`, `import type`, `export … from` and `require` of every TypeScript file, resolved
 * to the file it names. Package imports are not edges: layering is about our own folders.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";

/** File (relative to the root, `/`-separated) → the files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Folders that are not source: dependencies, build output, scratch. */
const NOT_SOURCE = new Set(["node_modules", "cdktf.out", "terraform-state", "coverage"]);

function sourceFiles(root: string, folder = root): string[] {
  return readdirSync(folder).flatMap((name) => {
    if (name.startsWith(".") || NOT_SOURCE.has(name)) return [];
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(root, path);
    return /\.[cm]?ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveImport(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  return [`${base}.ts`, join(base, "index.ts"), base].find((path) => existsSync(path) && statSync(path).isFile());
}

/** The graph of every TypeScript file below `root`; an import that names no file is in `unresolved`. */
export function readImportGraph(root: string): { graph: ImportGraph; unresolved: string[] } {
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  const key = (path: string) => relative(root, path).split("\\").join("/");
  for (const file of sourceFiles(root)) {
    const imports = ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles;
    const targets: string[] = [];
    for (const { fileName } of imports) {
      if (!fileName.startsWith(".")) continue;
      const target = resolveImport(file, fileName);
      if (target === undefined) unresolved.push(`${key(file)} imports ${fileName}`);
      else targets.push(key(target));
    }
    graph.set(key(file), targets);
  }
  return { graph, unresolved };
}

/**
 * The import cycles of `graph`: its strongly connected components with more than one file, or one
 * file that imports itself (Tarjan's algorithm), each sorted, in a stable order.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    lowLink.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(target)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The top folder of a file (`model`, `config`, …), or the file itself at the root (`main.ts`). */
export function layerOf(file: string): string {
  return file.split("/")[0];
}

/** Every import from a layer to one it may not import, as `from → to` lines. */
export function layeringViolations(graph: ImportGraph, allowed: Readonly<Record<string, readonly string[]>>): string[] {
  const lines: string[] = [];
  for (const [file, targets] of graph) {
    const may = allowed[layerOf(file)];
    if (may === undefined) continue;
    for (const target of targets) {
      if (layerOf(target) !== layerOf(file) && !may.includes(layerOf(target))) lines.push(`${file} → ${target}`);
    }
  }
  return lines.sort();
}
