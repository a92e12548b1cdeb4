/**
 * What `npm ci --omit=dev` installs is enough to run synth and the operator commands (`.ci/run`
 * proves it on a clean copy; this names the package when it is not), every version is pinned, and the
 * AWS SDK clients share one copy of the SDK's core packages.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; dev?: boolean }>;
};

/** What runs on a deploy machine: the app, its layers and the operator commands (not tests or bench). */
const RUNTIME_ROOTS = ["main.ts", "model", "config", "stacks", "functions", "scripts"];

function sourceFiles(path: string): string[] {
  const absolute = join(ROOT, path);
  if (statSync(absolute).isFile()) return [absolute];
  return readdirSync(absolute)
    .flatMap((name) => sourceFiles(join(path, name)))
    .filter((file) => file.endsWith(".ts"));
}

/** Package names a file loads at run time: value imports and requires, not `import type`. */
function runtimePackages(file: string): string[] {
  const code = readFileSync(file, "utf8");
  const specifiers = [
    ...[...code.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]),
    ...[...code.matchAll(/^import\s+"([^"]+)"/gm)].map((m) => m[1]),
    ...[...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
  ];
  return specifiers
    .filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtinModules.includes(s))
    .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]));
}

test("every package synth, the Lambda bundles and the operator commands load is a dependency, not a devDependency", () => {
  const missing = RUNTIME_ROOTS.flatMap(sourceFiles).flatMap((file) =>
    runtimePackages(file)
      .filter((name) => manifest.dependencies[name] === undefined)
      .map((name) => `${relative(ROOT, file)}: ${name}`),
  );
  expect(missing).toEqual([]);
});

test("tsx and esbuild, which npm run synth runs, are dependencies", () => {
  expect(Object.keys(manifest.dependencies)).toEqual(
    expect.arrayContaining(["tsx", "esbuild", "cdktf", "constructs", "@cdktf/provider-aws"]),
  );
});

test("every version in package.json is pinned exactly", () => {
  const ranges = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
    ([, v]) => !/^\d+\.\d+\.\d+$/.test(v),
  );
  expect(ranges).toEqual([]);
});

test("the AWS SDK clients share one version of each @aws-sdk and @smithy package", () => {
  const versions = new Map<string, Set<string>>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = path.replace(/^.*node_modules\//, "");
    if (!/^@(aws-sdk|smithy)\//.test(name) || entry.version === undefined) continue;
    versions.set(name, new Set([...(versions.get(name) ?? []), entry.version]));
  }
  const several = [...versions]
    .filter(([, set]) => set.size > 1)
    .map(([name, set]) => `${name}: ${[...set].join(", ")}`);
  expect(versions.size).toBeGreaterThan(10);
  expect(several).toEqual([]);
});
