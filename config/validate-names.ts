/**
 * The AWS names the stacks build from the project, each environment, its stage and tiers, and each
 * client key (`model/names.ts`), against the limits AWS puts on them (`model/aws-limits.ts`). The
 * name rules of each part say nothing about length; this is where length is judged, on the names
 * themselves, so a new name or a tighter limit needs no second rule.
 */
import { AWS_NAME_LIMITS } from "../model/aws-limits";
import { clientDerivedNames, environmentDerivedNames, type DerivedName } from "../model/names";
import type { ProblemCollector } from "./problems";
import { type RegistryIndex, isRecord, keyedEntry } from "./validate-support";
import { isWellFormedClientKey } from "./validate-clients";
import { ENVIRONMENT_NAME } from "./validate-environments";

/** `the Lambda function name "m2m-…" is 70 characters (AWS allows 64)`, for each name over its limit. */
function overLimit(names: readonly DerivedName[]): string[] {
  const seen = new Set<string>();
  return names
    .filter((n) => n.name.length > n.limit)
    .filter((n) => !seen.has(`${n.kind} ${n.name}`) && seen.add(`${n.kind} ${n.name}`))
    .map(
      (n) =>
        `the ${AWS_NAME_LIMITS[n.kind].what} ${JSON.stringify(n.name)} is ${n.name.length} characters (AWS allows ${n.limit})`,
    );
}

export function validateDerivedNames(
  environments: Readonly<Record<string, unknown>>,
  tiers: Readonly<Record<string, unknown>>,
  clients: readonly unknown[],
  index: RegistryIndex,
  collector: ProblemCollector,
): void {
  const project = index.project;
  if (project === undefined) return;
  const tierNames = Object.keys(tiers);
  const stageOf = (environment: string): string => {
    const settings = environments[environment];
    return isRecord(settings) && typeof settings.stageName === "string" ? settings.stageName : "";
  };
  const wellFormed = Object.keys(environments).filter((name) => ENVIRONMENT_NAME.test(name));

  for (const environment of wellFormed) {
    const problems = overLimit(environmentDerivedNames(project, environment, stageOf(environment), tierNames));
    if (problems.length === 0) continue;
    collector
      .entry(keyedEntry("environments", environment))
      .error(
        "name",
        `must keep the AWS names built from the project and this environment within AWS's limits, but ${problems.join(", ")}: shorten the project, the environment name, its stage or tier names; got ${JSON.stringify(environment)}`,
      );
  }

  clients.forEach((client, position) => {
    if (!isRecord(client) || typeof client.key !== "string" || !isWellFormedClientKey(client.key)) return;
    const key = client.key;
    const deployedTo = Array.isArray(client.environments)
      ? client.environments.filter((e): e is string => typeof e === "string" && wellFormed.includes(e))
      : [];
    const problems = overLimit(deployedTo.flatMap((environment) => clientDerivedNames(project, environment, key)));
    if (problems.length === 0) return;
    collector
      .entry(index.clientEntries[position] ?? `clients[${position}]`)
      .error(
        "key",
        `must keep the AWS names built from it within AWS's limits, but ${problems.join(", ")}: shorten the key; got ${key.length} characters`,
      );
  });
}
