/**
 * Benchmark 1: what one warm request costs, the shipped handler against a bare RS256 verify and the
 * floors of the design (the candidates: `support/authorizer-per-request-child.ts`).
 *
 * The measurement runs in a child process whose stdout is a file: the shipped handler writes its
 * decision line there, one `writeSync` per request, as it does in Lambda, and nothing of it reaches the
 * terminal. A file, like the descriptor the Lambda console emulation writes to
 * (`support/lambda-console.ts`), so both ways of writing are measured against the same kind of
 * descriptor: a pipe would add the cost of waking its reader to every write, by an amount that depends
 * on the reader, and the console makes two writes per line. Afterwards this side counts the decision
 * lines in the file and checks them against the lines the child says it wrote.
 *
 * The full run measures in several children, one after another, and takes the median over them: the
 * handler's ratio moves by a few hundredths from one process to the next (code and memory layout),
 * more than from one round to the next within a process.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DECISION_LINE_START } from "./support/authorizers";
import { perRequestResult, type PerRequestSamples } from "./support/per-request-report";
import type { BenchmarkResult } from "./support/report";
import { elapsedMs } from "./support/stats";

/** Options of {@link benchAuthorizerPerRequest}. */
export interface PerRequestOptions {
  /** Rounds; each runs every candidate once, in a rotating order. */
  readonly rounds: number;
  /** Requests per candidate per round. */
  readonly iterations: number;
  /** Requests per candidate before the first round (JIT warm-up). */
  readonly warmup: number;
  /** Measuring processes, run one after another. */
  readonly processes: number;
}

export const PER_REQUEST_FULL: PerRequestOptions = { rounds: 31, iterations: 500, warmup: 2_000, processes: 5 };
// The quick run keeps the full warm-up: with less, V8 has not optimised the handler yet and the ratio
// compares cold code with warm. Three short rounds still make its ratio indicative only.
export const PER_REQUEST_QUICK: PerRequestOptions = { rounds: 3, iterations: 200, warmup: 2_000, processes: 1 };

/** The environment variable that hands the child its {@link PerRequestOptions}, as JSON. */
export const PER_REQUEST_OPTIONS_ENV = "BENCH_PER_REQUEST_OPTIONS";

/** What the child sends back over IPC. */
export interface PerRequestChildReport {
  readonly samples: PerRequestSamples;
  /** Decision lines it wrote to its stdout (the shipped handler's and the `writeSync` floor's). */
  readonly stdoutLines: number;
}

const CHILD = join(__dirname, "support", "authorizer-per-request-child.ts");
const CHILD_TIMEOUT_MS = 600_000;

/** The child failed, or what it wrote to stdout is not what it says it wrote. */
export class PerRequestRunError extends Error {
  override readonly name = "PerRequestRunError";
}

export async function benchAuthorizerPerRequest(options: PerRequestOptions): Promise<BenchmarkResult> {
  const started = process.hrtime.bigint();
  const samples: PerRequestSamples[] = [];
  for (let i = 0; i < options.processes; i++) samples.push(await measureInChild(options));
  const quick = options.rounds < PER_REQUEST_FULL.rounds;
  return perRequestResult(samples, { ...options, quick }, elapsedMs(started));
}

/** One measuring child, its stdout checked; its samples. */
async function measureInChild(options: PerRequestOptions): Promise<PerRequestSamples> {
  const folder = mkdtempSync(join(tmpdir(), "m2m-per-request-"));
  const stdoutFile = join(folder, "stdout.log");
  const stdout = openSync(stdoutFile, "w");
  try {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, [PER_REQUEST_OPTIONS_ENV]: JSON.stringify(options) },
      stdio: ["ignore", stdout, "pipe", "ipc"],
      timeout: CHILD_TIMEOUT_MS,
    });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let report: PerRequestChildReport | undefined;
    child.on("message", (message) => (report = message as PerRequestChildReport));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    });
    if (code !== 0 || !report) {
      throw new PerRequestRunError(`the per-request benchmark exited with ${code}: ${stderr.trim().slice(-2_000)}`);
    }
    checkStdout(readFileSync(stdoutFile, "utf8"), report.stdoutLines);
    return report.samples;
  } finally {
    closeSync(stdout);
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Every line the child wrote is in its stdout, whole: the decision lines, and the init's one line. */
function checkStdout(text: string, decisionLinesWritten: number): void {
  const lines = text.split("\n");
  const partial = lines.pop();
  const decisionLines = lines.filter((line) => line.startsWith(DECISION_LINE_START)).length;
  // The one line that is not a decision: the init's JWKS prefetch failing, as it must without network.
  const others = lines.filter((line) => !line.startsWith(DECISION_LINE_START));
  const expectedOthers = others.length === 1 && others[0].startsWith('{"event":"authorizer_jwks_prefetch",');
  if (partial !== "" || !expectedOthers || decisionLines !== decisionLinesWritten) {
    throw new PerRequestRunError(
      `stdout held ${decisionLines} decision lines where ${decisionLinesWritten} were written, and ${JSON.stringify([...others, partial].slice(0, 3))}`,
    );
  }
}
