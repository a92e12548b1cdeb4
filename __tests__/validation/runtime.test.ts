/**
 * The Lambda runtime against AWS's schedule (`model/lambda-runtime.ts`), judged on an injected day:
 * quiet until 90 days before AWS blocks creating functions on it, a warning then, an error from that
 * day on. Each line names the runtime, the date and what to change.
 */
import { formatProblem } from "../../config/problems";
import { validateRegistry } from "../../config/validate";
import { LAMBDA_NODE_RUNTIMES, LAMBDA_RUNTIME } from "../../model/lambda-runtime";
import { parseIsoDay } from "../../model/dates";
import { minimalRegistry } from "../fixtures/minimal-registry";

function runtimeLines(today: string, lambdaRuntime?: string): string[] {
  return validateRegistry(minimalRegistry, { today: new Date(`${today}T12:00:00Z`), lambdaRuntime }).map(formatProblem);
}

test("the stacks deploy nodejs22.x, the newest runtime the pinned AWS provider accepts", () => {
  expect(LAMBDA_RUNTIME).toBe("nodejs22.x");
  const accepted = LAMBDA_NODE_RUNTIMES.filter((runtime) => runtime.providerAccepts).map((runtime) => runtime.id);
  expect(accepted.at(-1)).toBe(LAMBDA_RUNTIME);
});

test("every date of the schedule is a real day, and each runtime's dates come in order", () => {
  for (const runtime of LAMBDA_NODE_RUNTIMES) {
    const [deprecation, blockCreate, blockUpdate] = [runtime.deprecation, runtime.blockCreate, runtime.blockUpdate].map(
      parseIsoDay,
    );
    expect({ id: runtime.id, ordered: deprecation! <= blockCreate! && blockCreate! <= blockUpdate! }).toEqual({
      id: runtime.id,
      ordered: true,
    });
  }
});

test("GIVEN nodejs22.x 91 days before AWS blocks creating functions on it THEN nothing is said", () => {
  expect(runtimeLines("2027-03-02")).toEqual([]);
});

test("GIVEN nodejs22.x 90 days before the block THEN a warning names the date and the runtime to move to", () => {
  expect(runtimeLines("2027-03-03")).toEqual([
    "warning: functions.runtime: nodejs22.x is blocked for new functions from 2027-06-01, in 90 days (deprecated 2027-04-30, no updates from 2027-07-01): set LAMBDA_RUNTIME in model/lambda-runtime.ts to nodejs24.x (it needs an AWS provider newer than 5.100.0, which refuses it)",
  ]);
});

test("GIVEN nodejs22.x the day before the block THEN the warning says tomorrow", () => {
  expect(runtimeLines("2027-05-31")).toEqual([
    "warning: functions.runtime: nodejs22.x is blocked for new functions from 2027-06-01, tomorrow (deprecated 2027-04-30, no updates from 2027-07-01): set LAMBDA_RUNTIME in model/lambda-runtime.ts to nodejs24.x (it needs an AWS provider newer than 5.100.0, which refuses it)",
  ]);
});

test("GIVEN nodejs22.x on the day AWS blocks it THEN synth fails with what to change", () => {
  expect(runtimeLines("2027-06-01")).toEqual([
    'error: functions.runtime: must be a runtime AWS still creates functions on: nodejs22.x is blocked for new functions since 2027-06-01 and for updates from 2027-07-01; set LAMBDA_RUNTIME in model/lambda-runtime.ts to nodejs24.x (it needs an AWS provider newer than 5.100.0, which refuses it); got "nodejs22.x"',
  ]);
});

test("GIVEN the old nodejs20.x today THEN synth fails and names nodejs22.x", () => {
  expect(runtimeLines("2026-12-01", "nodejs20.x")).toEqual([
    'error: functions.runtime: must be a runtime AWS still creates functions on: nodejs20.x is blocked for new functions since 2026-08-31 and for updates from 2026-09-30; set LAMBDA_RUNTIME in model/lambda-runtime.ts to nodejs22.x; got "nodejs20.x"',
  ]);
});

test("GIVEN every runtime of the table blocked THEN the line says to add the next one", () => {
  expect(runtimeLines("2028-06-01", "nodejs24.x")).toEqual([
    'error: functions.runtime: must be a runtime AWS still creates functions on: nodejs24.x is blocked for new functions since 2028-06-01 and for updates from 2028-07-01; add the next Node.js runtime to model/lambda-runtime.ts and set LAMBDA_RUNTIME in model/lambda-runtime.ts to it; got "nodejs24.x"',
  ]);
});

test("GIVEN a runtime the table does not know THEN one line lists the ones it does", () => {
  expect(runtimeLines("2026-12-01", "nodejs18.x")).toEqual([
    'error: functions.runtime: must be one of the Node.js runtimes in model/lambda-runtime.ts, "nodejs20.x", "nodejs22.x", "nodejs24.x"; got "nodejs18.x"',
  ]);
});
