/**
 * What the validation tests share: the fixture every test starts from, changed by each test, and the
 * lines the validator reports for it.
 */
import { formatProblem } from "../../config/problems";
import type { Registry } from "../../config/schema";
import { validateRegistry } from "../../config/validate";
import { minimalRegistry } from "../fixtures/minimal-registry";

export const TODAY = new Date("2026-11-26");

/**
 * A deep copy of the valid fixture, changed by `change`. The draft is untyped on purpose: the
 * validator must cope with whatever a JS module or an `as any` hands it.
 */
export function registryWith(change: (draft: any) => void): Registry {
  const draft: unknown = structuredClone(minimalRegistry);
  change(draft);
  return draft as Registry;
}

export function problemLines(registry: Registry): string[] {
  return validateRegistry(registry, { today: TODAY }).map(formatProblem);
}

/** An environment that differs from the fixture's in its domain prefix only. */
export function environmentNamed(prefix: string): Record<string, unknown> {
  return { region: "eu-west-1", stageName: "v1", protected: false, cognitoDomainPrefix: prefix };
}

/** Adds an environment, with the upstream URL every http-proxy route needs for it. */
export function addEnvironment(draft: any, name: string, environment: Record<string, unknown>): void {
  draft.environments[name] = environment;
  for (const route of draft.routes) {
    if (route.integration.type === "http-proxy") route.integration.url[name] = `https://${name}.example.com/x`;
  }
}

/** A route with a mock integration, so that only its method, path and scopes can be wrong. */
export function mockRoute(method: string, path: string, scopes: string[] = ["orders/read"]): Record<string, unknown> {
  return { method, path, scopes, integration: { type: "mock" } };
}

export function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}
