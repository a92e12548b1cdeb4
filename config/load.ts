import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Registry } from "./schema";

/** The registry that `npm run synth` deploys when `M2M_CONFIG` is not set. */
export const DEFAULT_REGISTRY_MODULE = resolve(__dirname, "registry.ts");

/** A registry and the module it came from. */
export interface LoadedRegistry {
  /** Plain data: arrays, plain objects and primitives, read once (no getter or proxy runs again). */
  readonly registry: Registry;
  /** The module path, relative to the working directory, for messages. */
  readonly source: string;
  /** The module's absolute path: what lies beside it (`reshard/`) is found from here. */
  readonly modulePath: string;
}

/** A registry module that cannot be found, loaded or read: one line per problem, never a stack trace. */
export class RegistryLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistryLoadError";
  }
}

/**
 * The one line that says why a module did not load. esbuild (tsx) reports a syntax error as
 * "Transform failed with 1 error:" and the location on the next line; Node puts a JavaScript syntax
 * error's location on the first line of the stack. Both keep file, line and column.
 */
export function loadFailureReason(error: unknown): string {
  // Duck-typed: an error from a native transformer or another realm (jest's sandbox) is not an
  // `instanceof Error` here.
  if (typeof error !== "object" || error === null || typeof (error as Error).message !== "string") return String(error);
  const { message, name, stack } = error as Error;
  const lines = message.split("\n");
  if (/^Transform failed with \d+ errors?:$/.test(lines[0]) && lines.length > 1) {
    return lines
      .slice(1)
      .filter((line) => line.trim().length > 0)
      .map((line) => line.replace(/: ERROR: /, ": "))
      .join("; ");
  }
  // swc (the tests' transformer) writes "  x <message>" and then ",-[<file>:<line>:<column>]".
  const swcMessage = /^\s*x (.+)$/.exec(lines[0]);
  const swcLocation = lines.map((line) => /,-\[(.+:\d+:\d+)\]/.exec(line)?.[1]).find(Boolean);
  if (swcMessage && swcLocation) return `${swcLocation}: ${swcMessage[1]}`;
  if (name === "SyntaxError") {
    const location = stack?.split("\n")[0];
    if (location && /:\d+$/.test(location)) return `${location}: ${lines[0]}`;
  }
  return !name || name === "Error" ? lines[0] : `${name}: ${lines[0]}`;
}

/**
 * A registry's data copied into plain arrays and objects, reading every property once. A getter that
 * throws, a proxy that refuses, or a value that refers back to itself becomes one
 * {@link RegistryLoadError} naming where it happened, so the validator only ever sees plain data.
 */
export function plainRegistryData(value: unknown, source: string): unknown {
  const ancestors = new Set<object>();
  const copy = (item: unknown, path: string): unknown => {
    if (typeof item !== "object" || item === null) return item;
    if (ancestors.has(item)) {
      throw new RegistryLoadError(`M2M_CONFIG: cannot read ${JSON.stringify(source)}: ${path} refers back to itself`);
    }
    ancestors.add(item);
    try {
      if (Array.isArray(item)) return item.map((_, index) => copy(read(item, index, path), `${path}[${index}]`));
      return Object.fromEntries(
        keysOf(item, path).map((key) => [key, copy(read(item, key, path), path === "" ? key : `${path}.${key}`)]),
      );
    } finally {
      ancestors.delete(item);
    }
  };
  const keysOf = (item: object, path: string): string[] => {
    try {
      return Object.keys(item);
    } catch (error) {
      throw new RegistryLoadError(
        `M2M_CONFIG: cannot read ${JSON.stringify(source)}: listing ${path || "the registry"} threw an error: ${loadFailureReason(error)}`,
      );
    }
  };
  const read = (item: object, key: string | number, path: string): unknown => {
    try {
      return (item as Record<string | number, unknown>)[key];
    } catch (error) {
      const where = typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
      throw new RegistryLoadError(
        `M2M_CONFIG: cannot read ${JSON.stringify(source)}: reading ${where} threw an error: ${loadFailureReason(error)}`,
      );
    }
  };
  return copy(value, "");
}

/**
 * Loads the registry module named by `modulePath` (`M2M_CONFIG`), or the default one. The module
 * exports the registry as its default export (`export default defineRegistry({…})`) or as `registry`.
 * TypeScript modules load because the app runs under tsx (and the tests under jest's transform).
 * Whatever goes wrong is a {@link RegistryLoadError}: a missing file, a syntax error (with its file,
 * line and column), a module or an import that throws, a registry that throws while it is read.
 */
export function loadRegistry(modulePath?: string, cwd: string = process.cwd()): LoadedRegistry {
  const absolute = modulePath
    ? isAbsolute(modulePath)
      ? modulePath
      : resolve(cwd, modulePath)
    : DEFAULT_REGISTRY_MODULE;
  const fromCwd = relative(cwd, absolute);
  const source = fromCwd && !fromCwd.startsWith("..") ? fromCwd : absolute;
  if (!existsSync(absolute)) {
    throw new RegistryLoadError(`M2M_CONFIG: no registry module at ${JSON.stringify(source)}`);
  }
  let loaded: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(absolute) as Record<string, unknown>;
  } catch (error) {
    // A registry gathered from files reports its own (one line per file that fails).
    if (error instanceof RegistryLoadError) throw error;
    throw new RegistryLoadError(`M2M_CONFIG: cannot load ${JSON.stringify(source)}: ${loadFailureReason(error)}`);
  }
  let chosen: unknown;
  try {
    chosen = loaded.default ?? loaded.registry;
  } catch (error) {
    throw new RegistryLoadError(`M2M_CONFIG: cannot read ${JSON.stringify(source)}: ${loadFailureReason(error)}`);
  }
  if (!chosen || typeof chosen !== "object") {
    throw new RegistryLoadError(
      `M2M_CONFIG: ${JSON.stringify(source)} must export a registry as its default export (export default defineRegistry({…}))`,
    );
  }
  const registry = plainRegistryData(chosen, source);
  return { registry: registry as Registry, source, modulePath: absolute };
}
