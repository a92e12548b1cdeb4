/**
 * One `npm run synth` of a registry module in a child process, measured: wall time seen by the
 * caller, the app's own "done in" time, and the peak RSS of the Node process that synthesizes.
 *
 * The child is `node --import tsx main.ts`, what `npx tsx main.ts` runs minus the CLI wrapper process,
 * so the peak memory read is the synthesizing process's own (`process.resourceUsage().maxRSS`,
 * written by a preloaded script when it exits). esbuild's short-lived helper process, which bundles the
 * two Lambda functions, is not counted.
 */
import { withoutTerraformCloud } from "../../__tests__/support/emulator";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runChild } from "./child-process";

export const REPO_ROOT = resolve(__dirname, "..", "..");

const MAX_RSS_PRELOAD = `process.on("exit", () => {
  require("node:fs").writeFileSync(process.env.BENCH_MAX_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
`;

// Lets tsx turn source-mapped stack traces on but ignores turning them off: the app as it was before
// `stacks/synthesize.ts` switched them off for the duration of a synth.
const KEEP_SOURCE_MAPS_PRELOAD = `const enable = process.setSourceMapsEnabled.bind(process);
process.setSourceMapsEnabled = (value) => { if (value) enable(true); };
`;

/** What one synth run measured. */
export interface SynthRun {
  readonly wallMs: number;
  /** What `main.ts` reports as "done in", from loading the registry to written stacks. */
  readonly appMs: number | undefined;
  readonly peakRssBytes: number;
}

/** Options of {@link synthRegistry}. */
export interface SynthRegistryOptions {
  /** The registry module (`M2M_CONFIG`). */
  readonly registryModule: string;
  /** Where the app writes (`CDKTF_OUTDIR`). */
  readonly outdir: string;
  /** Scratch folder for the preload script and its report. */
  readonly scratchDir: string;
  /** Extra node flags, such as `--cpu-prof`. @default - none */
  readonly nodeFlags?: readonly string[];
  /**
   * Keep source-mapped stack traces on during the synth, undoing the fix in `stacks/synthesize.ts`, to
   * measure what it saves.
   * @default false
   */
  readonly keepSourceMappedStacks?: boolean;
}

/** Synthesizes a registry as `npm run synth` would, with Terraform Cloud settings of the caller dropped. */
export function synthRegistry(options: SynthRegistryOptions): SynthRun {
  mkdirSync(options.scratchDir, { recursive: true });
  const preload = join(options.scratchDir, "report-max-rss.cjs");
  const report = join(options.scratchDir, "max-rss");
  writeFileSync(preload, MAX_RSS_PRELOAD);
  rmSync(report, { force: true });
  const preloads = ["--require", preload];
  if (options.keepSourceMappedStacks) {
    const keep = join(options.scratchDir, "keep-source-maps.cjs");
    writeFileSync(keep, KEEP_SOURCE_MAPS_PRELOAD);
    preloads.push("--require", keep);
  }
  const run = runChild(
    process.execPath,
    [...(options.nodeFlags ?? []), ...preloads, "--import", "tsx", join(REPO_ROOT, "main.ts")],
    {
      cwd: REPO_ROOT,
      env: {
        ...withoutTerraformCloud(process.env),
        M2M_CONFIG: options.registryModule,
        CDKTF_OUTDIR: options.outdir,
        BENCH_MAX_RSS_FILE: report,
      },
      timeoutMs: 300_000,
    },
  );
  const done = /done in ([\d.]+) s/.exec(run.stdout);
  return {
    wallMs: run.wallMs,
    appMs: done ? Number(done[1]) * 1_000 : undefined,
    peakRssBytes: Number(readFileSync(report, "utf8")),
  };
}

/** The synthesized stack of one environment, parsed. */
export function readStack(
  outdir: string,
  environment: string,
): { readonly jsonBytes: number; readonly resources: number } {
  const text = readFileSync(join(outdir, "stacks", environment, "cdk.tf.json"), "utf8");
  const json = JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> };
  const resources = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return { jsonBytes: Buffer.byteLength(text), resources };
}
