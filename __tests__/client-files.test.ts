/**
 * The registry as one file per client (`config/clients/<team>/<client-key>.ts`): gathered in a fixed
 * order, the same stacks as the same clients written inline, and every mistake a pull request can
 * make with files (a file not named after its key, a folder that is no team, a key in two folders, a
 * file that does not load) one line naming the file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { RegistryLoadError, loadRegistry } from "../config/load";
import { formatProblem } from "../config/problems";
import { validateRegistry } from "../config/validate";
import fileRegistry from "./fixtures/file-registry/registry";
import { minimalRegistry } from "./fixtures/minimal-registry";
import { synthEnvironment } from "./support/synth";

const TODAY = new Date("2026-11-26");
const FIXTURE_PLATFORM = join(__dirname, "fixtures", "file-registry", "platform");
const CLIENT_FILES = join(__dirname, "..", "config", "client-files");

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), "m2m-client-files-"))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A client file's source, importing the fixture's platform. */
function clientSource(client: Record<string, unknown>): string {
  return `import { defineClient } from ${JSON.stringify(FIXTURE_PLATFORM)};\nexport default defineClient(${JSON.stringify(client, null, 2)} as any);\n`;
}

const acme = { ...minimalRegistry.clients[0] };
const globex = { ...minimalRegistry.clients[1] };

/** A file-layout registry in a folder of its own: `files` maps paths under `clients/` to sources. */
function writeRegistry(name: string, files: Readonly<Record<string, string>>): string {
  const root = join(scratch, name);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, "clients", path)), { recursive: true });
    writeFileSync(join(root, "clients", path), source);
  }
  mkdirSync(join(root, "clients"), { recursive: true });
  writeFileSync(
    join(root, "registry.ts"),
    `import { join } from "node:path";
import { registryFromClientFiles } from ${JSON.stringify(CLIENT_FILES)};
import { platform } from ${JSON.stringify(FIXTURE_PLATFORM)};
export default registryFromClientFiles(platform.settings, join(__dirname, "clients"), __dirname);
`,
  );
  return join(root, "registry.ts");
}

function problemsOf(module: string): string[] {
  return validateRegistry(loadRegistry(module).registry, { today: TODAY }).map(formatProblem);
}

function loadFailure(module: string): string {
  try {
    loadRegistry(module);
  } catch (error) {
    if (error instanceof RegistryLoadError) return error.message;
    throw error;
  }
  throw new Error(`${module} loaded`);
}

describe("the file-layout fixture", () => {
  test("gathers each client with its file and team, teams in name order, and validates clean", () => {
    expect(fileRegistry.clients.map((c) => c.key)).toEqual(["acme-billing", "globex-orders"]);
    expect(fileRegistry.clientFiles).toEqual([
      { file: "__tests__/fixtures/file-registry/clients/billing/acme-billing.ts", team: "billing" },
      { file: "__tests__/fixtures/file-registry/clients/shops/globex-orders.ts", team: "shops" },
    ]);
    expect(validateRegistry(fileRegistry, { today: TODAY }).map(formatProblem)).toEqual([]);
  });

  test.each(["dev", "prod"])("synthesizes the %s stack byte for byte as the same clients written inline", (env) => {
    expect(synthEnvironment(fileRegistry, env).json).toBe(synthEnvironment(minimalRegistry, env).json);
  });
});

describe("client files a pull request gets wrong", () => {
  test("GIVEN the same files written in another order THEN the registry is the same", () => {
    const forwards = writeRegistry("forwards", {
      "billing/acme-billing.ts": clientSource(acme),
      "shops/globex-orders.ts": clientSource(globex),
    });
    const backwards = writeRegistry("backwards", {
      "shops/globex-orders.ts": clientSource(globex),
      "billing/acme-billing.ts": clientSource(acme),
    });
    const { clientFiles: _a, ...one } = loadRegistry(forwards).registry;
    const { clientFiles: _b, ...other } = loadRegistry(backwards).registry;
    expect(JSON.stringify(other)).toBe(JSON.stringify(one));
  });

  test("GIVEN a file not named after its key THEN one line names the file and the name it should have", () => {
    const module = writeRegistry("renamed", {
      "billing/acme-billng.ts": clientSource(acme),
      "shops/globex-orders.ts": clientSource(globex),
    });
    expect(problemsOf(module)).toEqual([
      `error: clients["acme-billing"].key: must be the file's name, as in clients/billing/acme-billing.ts (rename the file or the key); got "acme-billing" in clients/billing/acme-billng.ts`,
    ]);
  });

  test("GIVEN a client in a folder that is no declared team THEN one line names the teams and the file", () => {
    const module = writeRegistry("no-team", {
      "billing/acme-billing.ts": clientSource(acme),
      "shop/globex-orders.ts": clientSource(globex),
    });
    expect(problemsOf(module)).toEqual([
      `error: clients["globex-orders"].team: must be one of "billing", "shops" (the folder of a client file is its team, declared in config/platform/teams.ts); got "shop" from clients/shop/globex-orders.ts`,
    ]);
  });

  test("GIVEN one key in two teams' folders THEN the second names both files", () => {
    const module = writeRegistry("twice", {
      "billing/acme-billing.ts": clientSource(acme),
      "shops/acme-billing.ts": clientSource(acme),
    });
    expect(problemsOf(module)).toEqual([
      `error: clients[1] ("acme-billing").key: must be unique, but clients/billing/acme-billing.ts has the same key; got "acme-billing" in clients/shops/acme-billing.ts`,
    ]);
  });

  test("GIVEN files that do not load, and one outside any team's folder THEN one line each, naming the file", () => {
    const module = writeRegistry("broken", {
      "billing/acme-billing.ts": clientSource(acme).replace("as any);", "as any;"),
      "shops/globex-orders.ts": `export const client = ${JSON.stringify(globex)};\n`,
      "loose-client.ts": clientSource(acme),
    });
    expect(loadFailure(module).split("\n")).toEqual([
      "error: clients/loose-client.ts: must be in a team's folder, clients/<team>/loose-client.ts",
      // The file, line and column of the mistake (jest's transformer, swc, words the message its own way).
      `error: clients/billing/acme-billing.ts: cannot load: ${module.replace("registry.ts", "clients/billing/acme-billing.ts")}:14:1: Expected ',', got ';'`,
      "error: clients/shops/globex-orders.ts: must export a client as its default export (export default defineClient({…}))",
    ]);
  });
});
