/**
 * What validation reports: one problem per mistake, naming the entry, the field, what is allowed and
 * what was given, and how a problem reads as one line. Every checker of the registry (the sections,
 * the quota guard, the environment variables) reports through these.
 */

export type Severity = "error" | "warning";

export interface ConfigProblem {
  readonly severity: Severity;
  /**
   * The entry, e.g. `clients["acme-billing"]`, `routes["GET /orders/{orderId}"]`, `tiers.silver`,
   * `environments.prod`, `resourceServers.orders`, `registry`.
   */
  readonly entry: string;
  /**
   * The field within the entry, e.g. `tier`, `scopes[1]`, `accessTokenValidityMinutes`,
   * `throttle.rateLimit`; empty when the entry as a whole is wrong (not an object).
   */
  readonly field: string;
  /**
   * What is allowed and what was given, e.g.
   * `must be a whole number from 5 to 1440 (Cognito's 5 minutes to 1 day); got 2`.
   */
  readonly message: string;
}

/** One line: `error: clients["acme-billing"].tier: must be one of "bronze", "silver", "gold"; got "platinum"`. */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.field === "" ? problem.entry : `${problem.entry}.${problem.field}`;
  return `${problem.severity}: ${where}: ${problem.message}`;
}

export function hasErrors(problems: readonly ConfigProblem[]): boolean {
  return problems.some((problem) => problem.severity === "error");
}

/** Collects the problems of one entry, in the order they are found. */
export interface EntryProblems {
  error(field: string, message: string): void;
  warning(field: string, message: string): void;
}

/** The growing, ordered list of problems of a whole registry. */
export class ProblemCollector {
  readonly problems: ConfigProblem[] = [];

  /** Problems reported through the returned object are attributed to `entry`. */
  entry(entry: string): EntryProblems {
    return {
      error: (field, message) => this.problems.push({ severity: "error", entry, field, message }),
      warning: (field, message) => this.problems.push({ severity: "warning", entry, field, message }),
    };
  }
}
