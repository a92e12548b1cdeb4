/**
 * `npm run synth` as a user runs it: a child process of `tsx main.ts`, writing into CDKTF_OUTDIR.
 * A registry with mistakes prints one line per problem, exits 1 and writes nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

jest.setTimeout(120_000);

const repo = resolve(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "m2m-main-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function synth(env: NodeJS.ProcessEnv) {
  const outdir = mkdtempSync(join(work, "out-"));
  rmSync(outdir, { recursive: true });
  const result = spawnSync(process.execPath, [join(repo, "node_modules", "tsx", "dist", "cli.mjs"), join(repo, "main.ts")], {
    cwd: repo,
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
  });
  return { ...result, outdir };
}

test("GIVEN the default registry THEN synth writes cdk.tf.json for dev, staging and prod and exits 0", () => {
  const result = synth({ M2M_CONFIG: "" });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(readdirSync(join(result.outdir, "stacks")).sort()).toEqual(["dev", "prod", "staging"]);
  for (const env of ["dev", "prod", "staging"]) {
    expect(existsSync(join(result.outdir, "stacks", env, "cdk.tf.json"))).toBe(true);
  }
  expect(result.stdout).toMatch(/^synthesized dev: 6 client\(s\)\nsynthesized staging: 4 client\(s\)\nsynthesized prod: 4 client\(s\)\ndone in \d+\.\d\d s from config\/registry\.ts\n$/);
});

test("GIVEN M2M_CONFIG names another registry module THEN synth deploys that one", () => {
  const result = synth({ M2M_CONFIG: "__tests__/fixtures/minimal-registry.ts" });
  expect(result.status).toBe(0);
  expect(readdirSync(join(result.outdir, "stacks")).sort()).toEqual(["dev", "prod"]);
});

test("GIVEN a registry with three mistakes THEN synth prints all three, one line each, exits 1 and writes nothing", () => {
  const module = join(work, "broken-registry.ts");
  writeFileSync(
    module,
    `import { minimalRegistry } from ${JSON.stringify(join(repo, "__tests__/fixtures/minimal-registry"))};
const [acme, globex] = minimalRegistry.clients;
export default {
  ...minimalRegistry,
  clients: [
    { ...acme, accessTokenValidityMinutes: 2 },
    { ...globex, key: "acme-billing" },
    { ...globex, key: "Globex", environments: [] },
  ],
};
`,
  );
  const result = synth({ M2M_CONFIG: module });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr.split("\n")).toEqual([
    `error: clients["acme-billing"].accessTokenValidityMinutes: must be a whole number from 5 to 1440 (Cognito's 5 minutes to 1 day); got 2`,
    `error: clients[1] ("acme-billing").key: must be unique, but clients[0] has the same key; got "acme-billing"`,
    `error: clients[2] ("Globex").key: must be lower-case letters and digits in dash-separated words, starting with a letter, at most 40 characters; got "Globex"`,
    `error: clients[2] ("Globex").environments: must list at least one environment (a client with no environment is deployed nowhere); got []`,
    `${module}: 4 error(s); nothing was synthesized.`,
    "",
  ]);
  expect(existsSync(result.outdir)).toBe(false);
});

test("GIVEN M2M_CONFIG names a file that does not exist THEN synth says so in one line and exits 1", () => {
  const result = synth({ M2M_CONFIG: "config/nope.ts" });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe('M2M_CONFIG: no registry module at "config/nope.ts"\n');
  expect(existsSync(result.outdir)).toBe(false);
});

test("GIVEN a module without a registry export THEN synth says what to export and exits 1", () => {
  const module = join(work, "empty-module.ts");
  writeFileSync(module, "export const nothing = 1;\n");
  const result = synth({ M2M_CONFIG: module });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/must export a registry as its default export \(export default defineRegistry\(\{…\}\)\)\n$/);
  expect(result.stderr.split("\n")).toHaveLength(2);
});
