/**
 * Benchmark 2: what a cold start costs. The bundle's size (what Lambda downloads and parses) and, in a
 * fresh Node process each time, the time to `import()` it with the function's environment set — what
 * the runtime does before the first request: the module's load, and the init that awaits the JWKS
 * fetch — plus that first request. The same for the hand-rolled comparator's bundle.
 */
import { buildSync, type BuildOptions } from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import {
  authorizerEnvironment,
  createTokenFactory,
  benchBundle,
  handRolledAuthorizerBundle,
  shippedAuthorizerBundle,
  tokenEvent,
  type AuthorizerBundle,
} from "./support/authorizers";
import { LAMBDA_BUNDLE_OPTIONS, LAMBDA_ENTRY } from "../stacks/function-bundle";
import { RESULT_PREFIX, runChild } from "./support/child-process";
import { atMost, infoRow, type BenchmarkResult } from "./support/report";
import { elapsedMs, formatKb, formatNumber, median, range } from "./support/stats";

/** Options of {@link benchColdStart}. */
export interface ColdStartOptions {
  /** Fresh processes per bundle. */
  readonly processes: number;
}

export const COLD_START_FULL: ColdStartOptions = { processes: 15 };
export const COLD_START_QUICK: ColdStartOptions = { processes: 3 };

export const BUNDLE_SIZE_TARGET_BYTES = 25 * 1024;
export const MODULE_LOAD_TARGET_MS = 15;

// Runs in the fresh process. Console output of the handler goes to stdout, before the result line.
const CHILD_SCRIPT = `
(async () => {
const t0 = process.hrtime.bigint();
const m = await import(require("node:url").pathToFileURL(process.env.BENCH_BUNDLE).href);
const t1 = process.hrtime.bigint();
// The shipped bundle fetched its keys during the init; the hand-rolled one is handed them.
if (m.initialized === undefined) m.cacheJwks(JSON.parse(process.env.BENCH_JWKS));
const r = await m.handler(JSON.parse(process.env.BENCH_EVENT));
const t2 = process.hrtime.bigint();
if (typeof r.principalId !== "string") throw new Error("first request was not allowed");
process.stdout.write("\\n${RESULT_PREFIX}" + JSON.stringify({ loadMs: Number(t1 - t0) / 1e6, firstRequestMs: Number(t2 - t1) / 1e6 }) + "\\n");
})();
`;

// Answers the init's JWKS fetch in process (see the file).
const IN_PROCESS_JWKS = join(__dirname, "support", "in-process-jwks.cjs");

interface ChildTiming {
  readonly loadMs: number;
  readonly firstRequestMs: number;
}

/** What the authorizer bundle is made of. */
interface BundleComposition {
  /** Bytes in the output per source: aws-jwt-verify, the authorizer's own code, the shared model. */
  readonly library: number;
  readonly ownCode: number;
  readonly other: number;
}

// The settings of stacks/function-bundle.ts, to attribute the shipped bundle's bytes to their sources.
const SHIPPED_SETTINGS: BuildOptions = {
  ...LAMBDA_BUNDLE_OPTIONS,
  stdin: { contents: LAMBDA_ENTRY, resolveDir: join(__dirname, "..", "functions", "authorizer"), loader: "js" },
};

function bundleComposition(): BundleComposition {
  const built = buildSync({ ...SHIPPED_SETTINGS, metafile: true });
  const inputs = Object.values(built.metafile!.outputs)[0].inputs;
  let library = 0;
  let ownCode = 0;
  let other = 0;
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    if (path.includes("node_modules/aws-jwt-verify/")) library += bytesInOutput;
    else if (path.startsWith("functions/authorizer/")) ownCode += bytesInOutput;
    else other += bytesInOutput;
  }
  return { library, ownCode, other };
}

function measureFreshProcesses(bundle: AuthorizerBundle, processes: number, env: NodeJS.ProcessEnv): ChildTiming[] {
  const timings: ChildTiming[] = [];
  for (let i = 0; i < processes; i++) {
    const run = runChild<ChildTiming>(process.execPath, ["--require", IN_PROCESS_JWKS, "-e", CHILD_SCRIPT], {
      env: { ...env, BENCH_BUNDLE: bundle.file },
      timeoutMs: 60_000,
    });
    if (!run.result) throw new Error(`no timing from the fresh process for ${bundle.label}:\n${run.stderr}`);
    timings.push(run.result);
  }
  return timings;
}

/**
 * The shipped code without the entry that awaits the JWKS prefetch: its import time is the module's own
 * load (parse, route table, verifier), comparable with a bundle that fetches keys on the first request.
 */
function moduleOnlyBundle(): AuthorizerBundle {
  const entry = join(__dirname, "..", "functions", "authorizer", "index.ts");
  return benchBundle("module-only", "shipped code, module only", entry);
}

export function benchColdStart(options: ColdStartOptions): BenchmarkResult {
  const started = process.hrtime.bigint();
  const shipped = shippedAuthorizerBundle();
  const moduleOnly = moduleOnlyBundle();
  const handRolled = handRolledAuthorizerBundle();
  const tokens = createTokenFactory(1);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...authorizerEnvironment(),
    BENCH_JWKS: JSON.stringify(tokens.jwks),
    BENCH_EVENT: JSON.stringify(tokenEvent(tokens.token(1))),
  };

  // Alternating the two bundles process by process spreads any drift in machine load over both.
  const timings = new Map<AuthorizerBundle, ChildTiming[]>([
    [shipped, []],
    [moduleOnly, []],
    [handRolled, []],
  ]);
  for (let i = 0; i < options.processes; i++) {
    for (const bundle of timings.keys()) timings.get(bundle)!.push(...measureFreshProcesses(bundle, 1, env));
  }
  const loadOf = (b: AuthorizerBundle) => median(timings.get(b)!.map((t) => t.loadMs));
  const firstOf = (b: AuthorizerBundle) => median(timings.get(b)!.map((t) => t.firstRequestMs));
  const ms = (b: AuthorizerBundle, pick: (t: ChildTiming) => number) => {
    const values = timings.get(b)!.map(pick);
    const { min, max } = range(values);
    return `${formatNumber(median(values), 1)} ms (${formatNumber(min, 1)}–${formatNumber(max, 1)})`;
  };
  const zipped = (b: AuthorizerBundle) => deflateRawSync(readFileSync(b.file), { level: 9 }).byteLength;

  const notes = [
    'Shipped = `bundleFunction("authorizer")`: the `index.mjs` the stack\'s TerraformAsset zips (esbuild, minified, ES module for Node 22, its entry awaiting the JWKS fetch). Hand-rolled = `bench/support/hand-rolled/` bundled with the same settings (plus a `createRequire` banner for its CommonJS dependencies).',
    'Sizes in KB of 1,024 bytes; "zipped" is raw deflate at level 9, about what the deployment zip holds.',
    `Init = \`await import(bundle)\` with \`USER_POOL_ID\` and \`ROUTE_TABLE\` set, timed inside a fresh \`node -e\` process (${options.processes} processes per bundle, alternating; median, range in brackets), as Lambda's runtime loads the handler. For the shipped bundle it includes parsing the route table, creating the verifier and the JWKS fetch of both Cognito issuer hosts, answered in process by \`bench/support/in-process-jwks.cjs\` (the library's real fetch, parse and cache code; no network round trip, which in Lambda adds tens of milliseconds here and takes them out of the first request). Node's own start-up, the same for both, is not included.`,
    "Module load = the same import of the shipped code bundled without the entry that awaits the fetch (`functions/authorizer/index.ts` alone): the module's own work, the figure the target is for; the fetch it starts is answered in process.",
    "First request = the first call on a valid token in that process (JIT still cold, public key imported on first use). The shipped bundle has its keys from the init; the hand-rolled one is given them with `cacheJwks` first, so neither figure holds a download.",
  ];
  const size = shipped.bytes;
  const load = loadOf(moduleOnly);
  if (size > BUNDLE_SIZE_TARGET_BYTES) {
    const parts = bundleComposition();
    notes.push(
      `Bundle size missed by ${formatKb(size - BUNDLE_SIZE_TARGET_BYTES)} (${formatNumber(((size - BUNDLE_SIZE_TARGET_BYTES) / BUNDLE_SIZE_TARGET_BYTES) * 100, 1)} %). Where the bytes are: aws-jwt-verify ${formatKb(parts.library)} (the Cognito verifier, JWKS cache with its penalty box, HTTPS fetcher, error classes), the authorizer's own code ${formatKb(parts.ownCode)} (header and claim checks, error classification, JWKS back-off, policy documents, the memo and the decision line), the shared route model ${formatKb(parts.other)} (route grammar with its messages, route table, policy planning).`,
    );
  }
  if (load > MODULE_LOAD_TARGET_MS) notes.push(`Init missed by ${formatNumber(load - MODULE_LOAD_TARGET_MS, 1)} ms.`);

  return {
    title: "2. Cold start",
    summary: "Bundle size, module load and init of the authorizer in a fresh process, next to the hand-rolled bundle.",
    rows: [
      {
        metric: "shipped bundle, minified",
        measured: formatKb(size),
        target: `≤ ${formatKb(BUNDLE_SIZE_TARGET_BYTES)}`,
        verdict: atMost(size, BUNDLE_SIZE_TARGET_BYTES),
      },
      infoRow("shipped bundle, zipped", formatKb(zipped(shipped))),
      infoRow(
        "hand-rolled bundle, minified",
        `${formatKb(handRolled.bytes)} (${formatNumber(handRolled.bytes / size, 1)}× shipped)`,
      ),
      infoRow("hand-rolled bundle, zipped", formatKb(zipped(handRolled))),
      {
        metric: "shipped: module load in a fresh process",
        measured: ms(moduleOnly, (t) => t.loadMs),
        target: `≤ ${MODULE_LOAD_TARGET_MS} ms`,
        verdict: atMost(load, MODULE_LOAD_TARGET_MS),
      },
      infoRow(
        "shipped: init (module load and JWKS fetch) in a fresh process",
        ms(shipped, (t) => t.loadMs),
      ),
      infoRow(
        "hand-rolled: init (module load) in a fresh process",
        ms(handRolled, (t) => t.loadMs),
      ),
      infoRow(
        "shipped: first request after load",
        ms(shipped, (t) => t.firstRequestMs),
      ),
      infoRow(
        "hand-rolled: first request after load",
        ms(handRolled, (t) => t.firstRequestMs),
      ),
      infoRow("hand-rolled ÷ shipped, init", `${formatNumber(loadOf(handRolled) / loadOf(shipped), 1)}×`),
      infoRow(
        "hand-rolled ÷ shipped, init + first request",
        `${formatNumber((loadOf(handRolled) + firstOf(handRolled)) / (loadOf(shipped) + firstOf(shipped)), 1)}×`,
      ),
    ],
    notes,
    durationMs: elapsedMs(started),
  };
}
