/**
 * The artifact, not the source: synthesise the shipped registry, take the authorizer's zip exactly as
 * the stack references it, unpack it and run its `index.mjs` in a plain Node process (as Lambda would),
 * with the environment the stack gives the function.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import registry from "./fixtures/sample-registry";
import { ROUTE_TABLE_ENV, USER_POOL_ID_ENV, serializeRouteTable } from "../model/route-table";
import { BUNDLE_FILE_NAME, bundleFunction } from "../stacks/function-bundle";
import { synthesize } from "../stacks/synthesize";
import { arn, clientAnswer } from "./support/authorizer-fixture";
import { CLIENT_ID, POOL_ID, accessClaims, createSigningKey, jwksOf, signRs } from "./support/tokens";
import { readZip } from "./support/zip";

interface LambdaResource {
  readonly function_name: string;
  readonly filename: string;
  readonly handler: string;
  readonly environment?: { readonly variables?: Record<string, string> };
}

let workdir: string;
let shipped: { name: string; files: Map<string, Buffer>; resource: LambdaResource }[];

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), "m2m-authorizer-bundle-"));
  synthesize(registry, { outdir: join(workdir, "cdktf.out"), processEnv: {} });
  const stackDir = join(workdir, "cdktf.out", "stacks", "dev");
  const tf = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
    resource: { aws_lambda_function: Record<string, LambdaResource> };
  };
  shipped = Object.values(tf.resource.aws_lambda_function).map((resource) => ({
    name: resource.function_name,
    resource,
    // `filename` is relative to the stack folder, where Terraform runs.
    files: readZip(readFileSync(join(stackDir, resource.filename))),
  }));
});

afterAll(() => {
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

function shippedFunction(suffix: string) {
  const matches = shipped.filter((f) => f.name.endsWith(suffix));
  expect(matches).toHaveLength(1);
  return matches[0];
}

/**
 * Runs `index.mjs` in a fresh Node process as Lambda's runtime does (an `import()`, which waits for the
 * module's top-level `await`: its init), then preloads keys (if any) and calls the handler with each event.
 */
function runInNode(code: Buffer, env: Record<string, string>, input: { jwks?: unknown; events: unknown[] }) {
  const dir = mkdtempSync(join(workdir, "lambda-"));
  writeFileSync(join(dir, BUNDLE_FILE_NAME), code);
  const script = `
    const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
    (async () => {
      const mod = await import(${JSON.stringify(pathToFileURL(join(dir, BUNDLE_FILE_NAME)).href)});
      if (input.jwks) mod.verifier.cacheJwks(input.jwks);
      const out = [];
      for (const event of input.events) {
        try { out.push({ result: await mod.handler(event) }); }
        catch (e) { out.push({ error: { name: e.name, message: e.message, plainError: Object.getPrototypeOf(e) === Error.prototype } }); }
      }
      process.stdout.write("RESULT " + JSON.stringify(out) + "\\n");
    })();`;
  const stdout = execFileSync(process.execPath, ["-e", script], {
    input: JSON.stringify(input),
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    // Keep a failing start's stack trace (a line of minified code) out of the test output; it is in the
    // thrown error's message.
    stdio: ["pipe", "pipe", "pipe"],
    timeout: 30_000,
  });
  const lines = stdout.trim().split("\n");
  const results = JSON.parse(lines.find((l) => l.startsWith("RESULT "))!.slice("RESULT ".length)) as Record<
    string,
    any
  >[];
  const logs = lines.filter((l) => !l.startsWith("RESULT ")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { results, logs };
}

describe("the authorizer zip the stack ships", () => {
  test("holds only index.mjs, byte for byte the esbuild bundle of functions/authorizer", () => {
    const { files, resource } = shippedFunction("-authorizer");
    expect([...files.keys()]).toEqual(["index.mjs"]);
    expect(resource.handler).toBe("index.handler");
    const code = files.get(BUNDLE_FILE_NAME)!;
    const bundle = bundleFunction("authorizer");
    expect(createHash("sha256").update(code).digest("hex")).toBe(bundle.sha256);
    // A budget, so a dependency that balloons the cold start shows up here.
    expect(code.byteLength).toBeLessThan(48 * 1024);
  });

  test("loads with the stack's ROUTE_TABLE and answers: a policy for a valid token, a bare 401 for the rest", () => {
    // GIVEN the shipped code and the route table the stack put in the function's environment
    const { files, resource } = shippedFunction("-authorizer");
    const routeTable = resource.environment?.variables?.[ROUTE_TABLE_ENV];
    expect(routeTable).toBe(serializeRouteTable(registry.routes));
    const key = createSigningKey("k1");
    const now = Math.floor(Date.now() / 1000);
    const event = (token: string, method = "GET", path = "/orders/42") => ({
      type: "TOKEN",
      authorizationToken: token,
      methodArn: arn(method, path),
    });
    // WHEN it runs in a plain Node process (the pool id is ours: the stack's is a Terraform reference)
    const { results, logs } = runInNode(
      files.get(BUNDLE_FILE_NAME)!,
      { [USER_POOL_ID_ENV]: POOL_ID, [ROUTE_TABLE_ENV]: routeTable! },
      {
        jwks: jwksOf(key),
        events: [
          event(`Bearer ${signRs(key, accessClaims({ scope: "orders/read" }))}`),
          event("Bearer not-a-jwt"),
          event(`Bearer ${signRs(key, accessClaims({ exp: now - 60 }))}`),
          event(`Bearer ${signRs(createSigningKey("k1"), accessClaims())}`),
        ],
      },
    );
    // THEN
    expect(results[0]).toEqual({
      result: clientAnswer(CLIENT_ID, "orders/read", { allow: ["GET/orders", "GET/orders/*", "GET/whoami"] }),
    });
    const bare401 = { error: { name: "Error", message: "Unauthorized", plainError: true } };
    expect(results.slice(1)).toEqual([bare401, bare401, bare401]);
    // The init fetched the JWKS first (here it fails: the pool is not Cognito's) and still completed.
    expect(logs[0]).toEqual({
      event: "authorizer_jwks_prefetch",
      level: "WARN",
      outcome: "failed",
      reason: "jwks_unavailable",
    });
    expect(logs.slice(1).map((l) => [l.decision, l.reason])).toEqual([
      ["allow", "scopes_satisfied"],
      ["unauthorized", "malformed_jwt"],
      ["unauthorized", "expired"],
      ["unauthorized", "invalid_signature"],
    ]);
  });

  test("refuses to start without its environment", () => {
    const { files } = shippedFunction("-authorizer");
    expect(() => runInNode(files.get(BUNDLE_FILE_NAME)!, {}, { events: [] })).toThrow(/ROUTE_TABLE must be set/);
  });
});

describe("the whoami zip the stack ships", () => {
  test("loads and answers from the request context", () => {
    const { files } = shippedFunction("-whoami");
    const { results } = runInNode(
      files.get(BUNDLE_FILE_NAME)!,
      {},
      {
        events: [
          {
            headers: { Authorization: "Bearer x.y.z" },
            requestContext: {
              stage: "v1",
              identity: { apiKeyId: "key1" },
              authorizer: { clientId: CLIENT_ID, scopes: "orders/read" },
            },
          },
        ],
      },
    );
    expect(JSON.parse(results[0].result.body)).toEqual({
      clientId: CLIENT_ID,
      scopes: ["orders/read"],
      apiKeyId: "key1",
      stage: "v1",
    });
  });
});
