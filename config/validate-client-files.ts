/**
 * Run-time checks of a registry gathered from client files (`./client-files`): the teams and their
 * reviewers, and that each client's file is named after its key and sits in a declared team's folder.
 * A single-module registry has no `clientFiles`, and teams are optional there.
 */
import type { EntryProblems, ProblemCollector } from "./problems";
import { type RegistryIndex, checkNameList, got, isRecord, keyedEntry, mustBeOneOf } from "./validate-support";

/** Team names are folder names in `config/clients/`. */
const TEAM_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** A CODEOWNERS owner: `@user`, `@org/team` or an e-mail address. */
const CODE_OWNER = /^(@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\/[A-Za-z0-9_.-]+)?|[^\s@]+@[^\s@]+\.[^\s@]+)$/;

function checkReviewers(problems: EntryProblems, field: string, reviewers: unknown): void {
  if (!Array.isArray(reviewers) || reviewers.length === 0) {
    problems.error(field, `must list at least one reviewer, such as "@example-org/platform"; ${got(reviewers)}`);
    return;
  }
  checkNameList(problems, field, reviewers, (reviewer) =>
    typeof reviewer === "string" && CODE_OWNER.test(reviewer)
      ? undefined
      : `must be a GitHub team ("@org/team"), a user ("@user") or an e-mail address, as CODEOWNERS takes them; ${got(reviewer)}`,
  );
}

/** `teams` and `platformReviewers`; returns the names of the well-formed teams. */
export function validateTeams(teams: unknown, platformReviewers: unknown, collector: ProblemCollector): string[] {
  if (teams === undefined) return [];
  const registryProblems = collector.entry("registry");
  if (!isRecord(teams)) {
    registryProblems.error("teams", `must be an object mapping team folder names to their reviewers; ${got(teams)}`);
    return [];
  }
  checkReviewers(registryProblems, "platformReviewers", platformReviewers);
  const names: string[] = [];
  for (const [name, team] of Object.entries(teams)) {
    const problems = collector.entry(keyedEntry("teams", name));
    if (!TEAM_NAME.test(name)) {
      problems.error(
        "name",
        `must be lower-case letters and digits in dash-separated words, starting with a letter (it is the folder config/clients/<team>/); ${got(name)}`,
      );
    } else {
      names.push(name);
    }
    if (!isRecord(team)) {
      problems.error("", `must be an object with reviewers; ${got(team)}`);
      continue;
    }
    checkReviewers(problems, "reviewers", team.reviewers);
    if (team.description !== undefined && (typeof team.description !== "string" || team.description.trim() === "")) {
      problems.error("description", `must be a non-empty string when set; ${got(team.description)}`);
    }
  }
  return names;
}

/** Each client's file: named after its key, in a declared team's folder. */
export function validateClientFiles(
  clients: readonly unknown[],
  clientFiles: unknown,
  teamNames: readonly string[],
  index: RegistryIndex,
  collector: ProblemCollector,
): void {
  if (clientFiles === undefined) return;
  if (!Array.isArray(clientFiles) || clientFiles.length !== clients.length) {
    collector.entry("registry").error("clientFiles", `must name one file per client; ${got(clientFiles)}`);
    return;
  }
  clientFiles.forEach((source: unknown, position) => {
    const client = clients[position];
    const problems = collector.entry(index.clientEntries[position] ?? `clients[${position}]`);
    if (!isRecord(source) || typeof source.file !== "string" || typeof source.team !== "string") {
      collector
        .entry("registry")
        .error(`clientFiles[${position}]`, `must be the file and team a client came from; ${got(source)}`);
      return;
    }
    const fileName = source.file.split("/").pop()!.replace(/\.ts$/, "");
    if (isRecord(client) && typeof client.key === "string" && client.key !== fileName) {
      problems.error(
        "key",
        `must be the file's name, as in ${source.file.replace(/[^/]+\.ts$/, `${client.key}.ts`)} (rename the file or the key); got ${JSON.stringify(client.key)} in ${source.file}`,
      );
    }
    if (!teamNames.includes(source.team)) {
      problems.error(
        "team",
        `${mustBeOneOf(teamNames, "team")} (the folder of a client file is its team, declared in config/platform/teams.ts); got ${JSON.stringify(source.team)} from ${source.file}`,
      );
    }
  });
}
