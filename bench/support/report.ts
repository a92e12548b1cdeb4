/**
 * What a benchmark hands back, and how the run prints it: one Markdown table per benchmark (measured
 * value, target, verdict) followed by its notes. Benchmarks are not tests: a missed target is reported,
 * never thrown.
 */
import { overBy } from "./stats";

/** `met` / `missed` against a target; `info` for a figure without one; `skipped` when not measured. */
export type VerdictKind = "met" | "missed" | "info" | "skipped";

/** The verdict column of one row. */
export interface Verdict {
  readonly kind: VerdictKind;
  /** Extra words after the kind, such as `"by +12 %"`. @default - none */
  readonly detail?: string;
}

/** One row of a benchmark's table. */
export interface ResultRow {
  /** What was measured, such as `"handler, µs per request (median of 7 rounds)"`. */
  readonly metric: string;
  /** The measured value, formatted with its unit. */
  readonly measured: string;
  /** The target, formatted, or `"—"` for a figure without one. */
  readonly target: string;
  readonly verdict: Verdict;
}

/** A benchmark's outcome. */
export interface BenchmarkResult {
  /** Section title, such as `"1. Authorizer per request"`. */
  readonly title: string;
  /** One sentence on what was run, printed above the table. */
  readonly summary: string;
  readonly rows: readonly ResultRow[];
  /** Explanations: why a target was missed, what was tried, caveats of the method. */
  readonly notes: readonly string[];
  /** Wall time of the benchmark itself, in milliseconds. */
  readonly durationMs: number;
}

/** A verdict for "measured must not exceed limit". */
export function atMost(measured: number, limit: number): Verdict {
  return measured <= limit ? { kind: "met" } : { kind: "missed", detail: `by ${overBy(measured, limit)}` };
}

/** A row with no target. */
export function infoRow(metric: string, measured: string): ResultRow {
  return { metric, measured, target: "—", verdict: { kind: "info" } };
}

function verdictText(verdict: Verdict): string {
  const word = { met: "met", missed: "**missed**", info: "—", skipped: "skipped" }[verdict.kind];
  return verdict.detail ? `${word} ${verdict.detail}` : word;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** One benchmark as Markdown: heading, summary, table, notes. */
export function renderResult(result: BenchmarkResult): string {
  const lines = [
    `## ${result.title}`,
    "",
    result.summary,
    "",
    "| Metric | Measured | Target | Verdict |",
    "| --- | ---: | ---: | --- |",
  ];
  for (const row of result.rows) {
    lines.push(
      `| ${cell(row.metric)} | ${cell(row.measured)} | ${cell(row.target)} | ${cell(verdictText(row.verdict))} |`,
    );
  }
  if (result.notes.length > 0) {
    lines.push("");
    for (const note of result.notes) lines.push(`- ${note}`);
  }
  return lines.join("\n");
}

/** Every missed target of a run, for the closing summary. */
export function missedTargets(results: readonly BenchmarkResult[]): string[] {
  return results.flatMap((r) =>
    r.rows
      .filter((row) => row.verdict.kind === "missed")
      .map((row) => `${r.title}: ${row.metric}: ${row.measured} (target ${row.target})`),
  );
}
