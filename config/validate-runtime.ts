/**
 * The Lambda runtime against AWS's end-of-life schedule (`model/lambda-runtime.ts`): a runtime AWS no
 * longer creates functions on fails synth, one within 90 days of that warns. Both name the runtime,
 * the date and what to change, so the person who sees it in CI needs nothing else.
 */
import {
  LAMBDA_NODE_RUNTIMES,
  RUNTIME_WARNING_DAYS,
  lambdaNodeRuntime,
  type LambdaNodeRuntime,
} from "../model/lambda-runtime";
import { isoDay } from "../model/dates";
import type { ProblemCollector } from "./problems";
import { got, quoteAll } from "./validate-support";

const WHERE_TO_CHANGE = "LAMBDA_RUNTIME in model/lambda-runtime.ts";

/**
 * What to move to: the newest runtime still open for new functions `RUNTIME_WARNING_DAYS` after
 * `today` that the pinned provider accepts, else the newest open one at all (which needs a newer
 * provider).
 */
function successor(today: number): LambdaNodeRuntime | undefined {
  const open = LAMBDA_NODE_RUNTIMES.filter((runtime) => isoDay(runtime.blockCreate) - today > RUNTIME_WARNING_DAYS);
  return open.filter((runtime) => runtime.providerAccepts).at(-1) ?? open.at(-1);
}

function whatToChange(today: number): string {
  const next = successor(today);
  if (next === undefined)
    return `add the next Node.js runtime to model/lambda-runtime.ts and set ${WHERE_TO_CHANGE} to it`;
  const provider = next.providerAccepts ? "" : " (it needs an AWS provider newer than 5.100.0, which refuses it)";
  return `set ${WHERE_TO_CHANGE} to ${next.id}${provider}`;
}

/**
 * Judges `runtime` on the UTC calendar day `today` (days since 1970-01-01). Never throws: a runtime
 * the table does not know is a problem like any other.
 */
export function validateLambdaRuntime(runtime: string, today: number, collector: ProblemCollector): void {
  const problems = collector.entry("functions");
  const schedule = lambdaNodeRuntime(runtime);
  if (schedule === undefined) {
    problems.error(
      "runtime",
      `must be one of the Node.js runtimes in model/lambda-runtime.ts, ${quoteAll(LAMBDA_NODE_RUNTIMES.map((r) => r.id))}; ${got(runtime)}`,
    );
    return;
  }
  const daysLeft = isoDay(schedule.blockCreate) - today;
  if (daysLeft <= 0) {
    problems.error(
      "runtime",
      `must be a runtime AWS still creates functions on: ${runtime} is blocked for new functions since ${schedule.blockCreate} and for updates from ${schedule.blockUpdate}; ${whatToChange(today)}; ${got(runtime)}`,
    );
  } else if (daysLeft <= RUNTIME_WARNING_DAYS) {
    const when = daysLeft === 1 ? "tomorrow" : `in ${daysLeft} days`;
    problems.warning(
      "runtime",
      `${runtime} is blocked for new functions from ${schedule.blockCreate}, ${when} (deprecated ${schedule.deprecation}, no updates from ${schedule.blockUpdate}): ${whatToChange(today)}`,
    );
  }
}
