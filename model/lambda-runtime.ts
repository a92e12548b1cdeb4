/**
 * The Lambda runtime both functions run on, chosen here and nowhere else, and AWS's published
 * schedule for the Node.js runtimes: synth warns 90 days before AWS blocks creating functions on the
 * chosen runtime and fails once it has.
 *
 * Dates are AWS's (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, read
 * 2026-12-01). AWS has moved them before; when it does, edit the row.
 */

/** One Node.js runtime of Lambda and the three dates of its end of life. */
export interface LambdaNodeRuntime {
  /** Runtime identifier, as `aws_lambda_function.runtime` takes it. */
  readonly id: string;
  /** The Node.js major the runtime runs, which the bundles target. */
  readonly nodeMajor: number;
  /** AWS stops patching the runtime (`YYYY-MM-DD`). */
  readonly deprecation: string;
  /** AWS refuses to create functions on it from this day. */
  readonly blockCreate: string;
  /** AWS refuses to update functions on it from this day. */
  readonly blockUpdate: string;
  /**
   * Whether the pinned AWS provider (5.100.0) accepts the identifier: its validation ends at
   * `nodejs22.x` (measured), so a newer runtime also needs a newer provider.
   */
  readonly providerAccepts: boolean;
}

/** Lambda's Node.js runtimes from the oldest still listed, in release order. */
export const LAMBDA_NODE_RUNTIMES: readonly LambdaNodeRuntime[] = [
  {
    id: "nodejs20.x",
    nodeMajor: 20,
    deprecation: "2026-04-30",
    blockCreate: "2026-08-31",
    blockUpdate: "2026-09-30",
    providerAccepts: true,
  },
  {
    id: "nodejs22.x",
    nodeMajor: 22,
    deprecation: "2027-04-30",
    blockCreate: "2027-06-01",
    blockUpdate: "2027-07-01",
    providerAccepts: true,
  },
  {
    id: "nodejs24.x",
    nodeMajor: 24,
    deprecation: "2028-04-30",
    blockCreate: "2028-06-01",
    blockUpdate: "2028-07-01",
    providerAccepts: false,
  },
];

/** The runtime of the authorizer and whoami: the newest one the pinned AWS provider accepts. */
export const LAMBDA_RUNTIME = "nodejs22.x";

/** Days before `blockCreate` from which synth warns. */
export const RUNTIME_WARNING_DAYS = 90;

/** The schedule row of a runtime, or undefined when the table does not know it. */
export function lambdaNodeRuntime(id: string): LambdaNodeRuntime | undefined {
  return LAMBDA_NODE_RUNTIMES.find((runtime) => runtime.id === id);
}

/** The Node.js major of {@link LAMBDA_RUNTIME}: what esbuild targets and CI tests the bundles on. */
export const LAMBDA_NODE_MAJOR: number = lambdaNodeRuntime(LAMBDA_RUNTIME)?.nodeMajor ?? Number.NaN;
