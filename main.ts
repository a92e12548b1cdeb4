/**
 * m2m-access app entry: loads the registry (`config/registry.ts`, or the module named by
 * `M2M_CONFIG`), validates it with the client moves beside it (`reshard/<env>.json`), and synthesizes
 * one Terraform stack per environment (and per client shard) into `cdktf.out/stacks/<stack>/`. A
 * registry with errors writes nothing and exits 1.
 */
import { loadClientMoves } from "./config/client-moves";
import { RegistryLoadError, loadRegistry } from "./config/load";
import { readTerraformCloudVariables } from "./config/terraform-cloud-variables";
import { formatProblem, hasErrors } from "./config/problems";
import { validateRegistry } from "./config/validate";
import { describeBackend } from "./config/backend-choice";
import { StateLocationError, synthesize } from "./stacks/synthesize";

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

  const registryProblems = validateRegistry(loaded.registry);
  // Moves are checked against the registry, so only against one that is sound.
  const clientMoves = hasErrors(registryProblems)
    ? { moves: new Map(), problems: [] }
    : loadClientMoves(loaded.modulePath, loaded.registry);
  const problems = [...registryProblems, ...clientMoves.problems, ...readTerraformCloudVariables(process.env).problems];
  for (const problem of problems) console.error(formatProblem(problem));
  if (hasErrors(problems)) {
    const errors = problems.filter((p) => p.severity === "error").length;
    console.error(`${loaded.source}: ${errors} error(s); nothing was synthesized.`);
    return 1;
  }

  let report;
  try {
    report = synthesize(loaded.registry, { clientMoves: clientMoves.moves });
  } catch (error) {
    if (error instanceof StateLocationError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
  for (const moved of report.movedState) console.log(`moved local state ${moved}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const stack of report.stacks) {
    console.log(`synthesized ${stack.name}: ${stack.clients} client(s), ${describeBackend(stack.backend)}`);
  }
  console.log(`done in ${seconds.toFixed(2)} s from ${loaded.source}`);
  return 0;
}

process.exitCode = main();
