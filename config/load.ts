import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Registry } from "./schema";

/** The registry that `npm run synth` deploys when `M2M_CONFIG` is not set. */
export const DEFAULT_REGISTRY_MODULE = resolve(__dirname, "registry.ts");

/** A registry and the module it came from. */
export interface LoadedRegistry {
  readonly registry: Registry;
  /** The module path, relative to the working directory, for messages. */
  readonly source: string;
}

/** A registry module that cannot be found or does not export a registry. */
export class RegistryLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistryLoadError";
  }
}

/**
 * Loads the registry module named by `modulePath` (`M2M_CONFIG`), or the default one. The module
 * exports the registry as its default export (`export default defineRegistry({…})`) or as `registry`.
 * TypeScript modules load because the app runs under tsx (and the tests under jest's transform).
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
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new RegistryLoadError(`M2M_CONFIG: cannot load ${JSON.stringify(source)}: ${reason}`);
  }
  const registry = (loaded.default ?? loaded.registry) as Registry | undefined;
  if (!registry || typeof registry !== "object") {
    throw new RegistryLoadError(
      `M2M_CONFIG: ${JSON.stringify(source)} must export a registry as its default export (export default defineRegistry({…}))`,
    );
  }
  return { registry, source };
}
