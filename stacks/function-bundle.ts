import { buildSync, type BuildOptions } from "esbuild";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LAMBDA_NODE_MAJOR } from "../model/lambda-runtime";
import type { FunctionName } from "../model/names";

/** A handler bundled into one minified file, ready to be zipped by a `TerraformAsset`. */
export interface FunctionBundle {
  /** Folder holding only `index.mjs`; the Lambda handler is `index.handler`. */
  readonly directory: string;
  /** Path of the bundled file. */
  readonly file: string;
  /** Size of the bundled file in bytes. */
  readonly bytes: number;
  /** SHA-256 of the bundled code, hex. */
  readonly sha256: string;
}

const FUNCTIONS_DIR = resolve(__dirname, "..", "functions");

// The asset zip records each file's modification time and mode, and Terraform hashes the zip: a file
// rewritten at every synth would redeploy unchanged code on every apply. Fixed values keep the zip,
// and so `source_code_hash`, the same for the same code on any machine.
const BUNDLE_FILE_TIME = new Date(Date.UTC(2000, 0, 1));
const BUNDLE_FILE_MODE = 0o644;
const bundles = new Map<FunctionName, FunctionBundle>();

/**
 * How every Lambda handler is bundled: one minified ES module for the Node.js major of the Lambda
 * runtime (`model/lambda-runtime.ts`). ESM, because Lambda awaits an ES module's top-level `await`
 * during the function's init, and only then sends the first request (see {@link LAMBDA_ENTRY}).
 */
export const LAMBDA_BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  platform: "node",
  target: `node${LAMBDA_NODE_MAJOR}`,
  format: "esm",
  write: false,
  legalComments: "none",
  // Source paths would differ between machines and change the hash of identical code.
  sourcemap: false,
  logLevel: "silent",
} as const satisfies BuildOptions;

/** The bundled file's name: `.mjs`, which Lambda's Node.js runtime loads as an ES module. */
export const BUNDLE_FILE_NAME = "index.mjs";

/**
 * The bundle's entry: the function's `index.ts` as it is, plus a top-level `await` of its optional
 * `initialized` export, so work a handler starts at module scope (the authorizer's JWKS fetch) finishes
 * in Lambda's init and not in the first request. The TypeScript sources stay CommonJS-compatible
 * (no top-level `await`), so the tests load them as they are.
 */
export const LAMBDA_ENTRY = 'export * from "./index.ts";\nimport * as fn from "./index.ts";\nawait fn.initialized;\n';

/**
 * Bundles `functions/<name>/index.ts` with esbuild (once per process) into a folder named after the
 * code's hash, so the same code always yields the same asset and an unchanged function never
 * redeploys.
 */
export function bundleFunction(name: FunctionName): FunctionBundle {
  const cached = bundles.get(name);
  if (cached) return cached;

  const result = buildSync({
    ...LAMBDA_BUNDLE_OPTIONS,
    stdin: {
      contents: LAMBDA_ENTRY,
      resolveDir: join(FUNCTIONS_DIR, name),
      sourcefile: "lambda-entry.mjs",
      loader: "js",
    },
  });
  const code = result.outputFiles[0].contents;
  const sha256 = createHash("sha256").update(code).digest("hex");
  const directory = join(tmpdir(), "m2m-access-bundles", `${name}-${sha256.slice(0, 16)}`);
  mkdirSync(directory, { recursive: true });
  const file = join(directory, BUNDLE_FILE_NAME);
  if (!existsSync(file) || !readFileSync(file).equals(code)) writeFileSync(file, code);
  chmodSync(file, BUNDLE_FILE_MODE);
  utimesSync(file, BUNDLE_FILE_TIME, BUNDLE_FILE_TIME);

  const bundle: FunctionBundle = { directory, file, bytes: code.byteLength, sha256 };
  bundles.set(name, bundle);
  return bundle;
}
