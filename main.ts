/**
 * m2m-access app entry: loads the registry (`config/registry.ts`, or the module named by
 * `M2M_CONFIG`), validates it, and synthesizes one Terraform stack per environment into
 * `cdktf.out/stacks/<env>/cdk.tf.json`. A registry with errors writes nothing and exits 1.
 */
import { RegistryLoadError, loadRegistry } from "./config/load";
import { clientsInEnvironment } from "./config/schema";
import { checkQuotas } from "./config/quotas";
import { formatProblem, hasErrors, validateRegistry } from "./config/validate";
import { synthesize } from "./stacks/synthesize";

function main(): number {
  const started = process.hrtime.bigint();
  let loaded;
  try {
    loaded = loadRegistry(process.env.M2M_CONFIG);
  } catch (error) {
    if (error instanceof RegistryLoadError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  const validation = validateRegistry(loaded.registry);
  // AWS quotas: a registry that would exceed one fails here, not halfway through an apply.
  const problems = [...validation, ...checkQuotas(loaded.registry, { alreadyReported: validation })];
  for (const problem of problems) console.error(formatProblem(problem));
  if (hasErrors(problems)) {
    const errors = problems.filter((p) => p.severity === "error").length;
    console.error(`${loaded.source}: ${errors} error(s); nothing was synthesized.`);
    return 1;
  }

  synthesize(loaded.registry);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const [name] of Object.entries(loaded.registry.environments)) {
    const clients = clientsInEnvironment(loaded.registry, name).length;
    console.log(`synthesized ${name}: ${clients} client(s)`);
  }
  console.log(`done in ${seconds.toFixed(2)} s from ${loaded.source}`);
  return 0;
}

process.exitCode = main();
