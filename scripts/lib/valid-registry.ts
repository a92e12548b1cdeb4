/**
 * The registry check of every command that reads a registry without deploying it (`changes`, `access`,
 * `codeowners`): the same one validation pass synth runs, its errors printed one named line each.
 */
import { formatProblem, hasErrors } from "../../config/problems";
import type { Registry } from "../../config/schema";
import { validateRegistry } from "../../config/validate";
import { InvalidRegistryError } from "./errors";

/**
 * Throws an {@link InvalidRegistryError} listing every error of `registry`, each line prefixed with
 * `label` (the module the registry came from); warnings are synth's to print, not a command's.
 * @param today the day expiry is judged on; @default now
 */
export function assertValidRegistry(registry: Registry, label: string, today: Date = new Date()): void {
  const problems = validateRegistry(registry, { today });
  if (hasErrors(problems)) {
    throw new InvalidRegistryError(
      problems.filter((p) => p.severity === "error").map((p) => `${label}: ${formatProblem(p)}`),
    );
  }
}
