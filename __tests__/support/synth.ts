/** Synthesizes stacks in memory for assertions, and reads the Terraform JSON they produce. */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import type { Registry } from "../../config/schema";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClientMove } from "../../config/client-moves";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { buildApp } from "../../stacks/synthesize";

/** The parts of a synthesized `cdk.tf.json` the tests read. */
export interface TerraformJson {
  readonly resource: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, { value: unknown; sensitive?: boolean; description?: string }>;
  readonly terraform: { backend?: Record<string, any>; cloud?: Record<string, any> };
}

/** One environment's stack as a JSON string (what `cdk.tf.json` holds) and parsed. */
export function synthEnvironment(
  registry: Registry,
  environmentName: string,
  processEnv: NodeJS.ProcessEnv = {},
): { json: string; tf: TerraformJson } {
  const app = Testing.app();
  const stack = new EnvironmentStack(app, { registry, environmentName, processEnv });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as TerraformJson };
}

/**
 * One construct in a bare stack, with nothing but an AWS provider: `build` creates it (and whatever it
 * is given, such as a stage or a function) in the stack; the result is the construct and the JSON.
 */
export function synthConstruct<T>(build: (stack: TerraformStack) => T): {
  construct: T;
  json: string;
  tf: TerraformJson;
} {
  const stack = new TerraformStack(Testing.app(), "construct-under-test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const construct = build(stack);
  const json = Testing.synth(stack);
  return { construct, json, tf: JSON.parse(json) as TerraformJson };
}

/** Every data source address (`data.type.name`), sorted. */
export function dataAddresses(tf: TerraformJson): string[] {
  return Object.entries(tf.data ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`))
    .sort();
}

/**
 * Every stack of a registry as the app writes it, by stack name: synthesized into a scratch folder by
 * the app itself, because cross-stack references (a client shard reading its platform stack) resolve
 * only when the whole app synthesizes.
 */
export function synthApp(
  registry: Registry,
  options: { processEnv?: NodeJS.ProcessEnv; clientMoves?: ReadonlyMap<string, readonly ClientMove[]> } = {},
): Record<string, TerraformJson & Record<string, any>> {
  const outdir = mkdtempSync(join(tmpdir(), "m2m-app-"));
  try {
    const { app, stacks } = buildApp(registry, {
      outdir,
      processEnv: options.processEnv ?? {},
      clientMoves: options.clientMoves,
    });
    app.synth();
    return Object.fromEntries(
      stacks.map((stack) => [
        stack.node.id,
        JSON.parse(readFileSync(join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")),
      ]),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The resources of one type, keyed by Terraform name (`{}` when there are none). */
export function resourcesOf(tf: TerraformJson, type: string): Record<string, Record<string, any>> {
  return tf.resource[type] ?? {};
}

/** Every resource address (`type.name`), sorted. */
export function addresses(tf: TerraformJson): string[] {
  return Object.entries(tf.resource)
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/** `${type.name.attribute}` as Terraform JSON writes a reference. */
export function ref(address: string, attribute: string): string {
  return `\${${address}.${attribute}}`;
}

/** The registry with the clients replaced. */
export function withClients(registry: Registry, clients: Registry["clients"]): Registry {
  return { ...registry, clients };
}
