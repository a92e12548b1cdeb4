import { App } from "cdktf";
import type { Registry } from "../config/schema";
import { EnvironmentStack } from "./environment-stack";

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /**
   * Folder the app writes `stacks/<env>/cdk.tf.json` into.
   * @default "cdktf.out", or CDKTF_OUTDIR when the cdktf CLI runs the app
   */
  readonly outdir?: string;
  /**
   * Only these environments.
   * @default - every environment of the registry
   */
  readonly environments?: readonly string[];
  /**
   * Process environment for the backend choice.
   * @default process.env
   */
  readonly processEnv?: NodeJS.ProcessEnv;
}

/** Builds one stack per environment of a registry that has passed validation. */
export function buildApp(registry: Registry, options: BuildAppOptions = {}): App {
  // The cdktf CLI passes the output folder through CDKTF_OUTDIR; App reads it when outdir is unset.
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const names = options.environments ?? Object.keys(registry.environments);
  for (const environmentName of names) {
    new EnvironmentStack(app, { registry, environmentName, processEnv: options.processEnv });
  }
  return app;
}

/** Builds and writes the stacks. */
export function synthesize(registry: Registry, outdir?: string): void {
  withoutSourceMappedStackTraces(() => buildApp(registry, { outdir }).synth());
}

/**
 * cdktf records a full stack trace for every token it creates, several per client. Under tsx, which
 * maps stack traces back to TypeScript, formatting them took a quarter to a third of the CPU time
 * of a 1,000-client synth (`npm run bench`, CPU profile). Nothing reads them unless a token fails to resolve, and an error thrown here is
 * formatted when it is printed, after source maps are back on.
 */
function withoutSourceMappedStackTraces(run: () => void): void {
  const enabled = process.sourceMapsEnabled;
  if (!enabled) return run();
  process.setSourceMapsEnabled(false);
  try {
    run();
  } finally {
    process.setSourceMapsEnabled(true);
  }
}
