/**
 * The pieces the benchmarks stand on, checked cheaply (the benchmarks themselves run in CI as
 * `npm run bench -- --quick`): the generated registries are valid and load through `M2M_CONFIG`'s
 * loader, the hand-rolled comparator really verifies tokens, only emulator duplicates are repaired,
 * and the report states verdicts right.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRegistry } from "../config/load";
import { formatProblem, hasErrors } from "../config/problems";
import { validateRegistry } from "../config/validate";
import { createHandRolledAuthorizer } from "../bench/support/hand-rolled/authorizer";
import {
  BENCH_ENVIRONMENT,
  benchClientKey,
  generateRegistry,
  writeRegistryModule,
} from "../bench/support/registry-generator";
import { duplicateCreates } from "../bench/support/moto-orphans";
import { atMost, renderResult } from "../bench/support/report";
import { USAGE, benchCommand, runOptions } from "../bench/run";
import { UsageError } from "../scripts/lib/errors";
import { captureCommand } from "./support/cli-output";
import { CLIENT_ID, POOL_ID, accessClaims, createSigningKey, jwksOf, signRs } from "./support/tokens";

const TODAY = new Date("2026-01-15T00:00:00Z");

describe("generated registries", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "m2m-bench-smoke-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([10, 1_000])(
    "GIVEN %i clients WHEN validated THEN there is no error and every client is in the one environment",
    (clients) => {
      // GIVEN
      const registry = generateRegistry(clients);
      // WHEN
      const problems = validateRegistry(registry, { today: TODAY });
      // THEN
      expect(problems.filter((p) => p.severity === "error").map(formatProblem)).toEqual([]);
      expect(Object.keys(registry.environments)).toEqual([BENCH_ENVIRONMENT]);
      expect(registry.clients.filter((c) => c.environments.includes(BENCH_ENVIRONMENT))).toHaveLength(clients);
      expect(new Set(registry.clients.map((c) => c.key)).size).toBe(clients);
    },
  );

  test("GIVEN a written registry module WHEN loaded as M2M_CONFIG would load it THEN it is the generated registry", () => {
    // GIVEN
    const file = writeRegistryModule(dir, 12);
    // WHEN
    const loaded = loadRegistry(file);
    // THEN
    expect(loaded.registry).toEqual(generateRegistry(12));
    expect(loaded.registry.clients.at(-1)?.key).toBe(benchClientKey(12));
    expect(hasErrors(validateRegistry(loaded.registry, { today: TODAY }))).toBe(false);
  });
});

describe("the hand-rolled comparator", () => {
  const key = createSigningKey("k1");
  const other = createSigningKey("k1");
  const routes = [{ method: "GET", path: "/orders/{orderId}", scopes: ["orders/read"] }];
  const event = (token: string) => ({
    type: "TOKEN" as const,
    authorizationToken: `Bearer ${token}`,
    methodArn: "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/orders/42",
  });
  const authorizer = createHandRolledAuthorizer({ userPoolId: POOL_ID, routes });
  authorizer.cacheJwks(jwksOf(key));

  test("GIVEN a valid access token WHEN authorized THEN it allows the route for the client id", async () => {
    // WHEN
    const result = await authorizer.handler(event(signRs(key, accessClaims())));
    // THEN
    expect(result.principalId).toBe(CLIENT_ID);
    expect(result.usageIdentifierKey).toBe(CLIENT_ID);
    expect(result.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: event("").methodArn },
    ]);
  });

  test.each([
    ["signed by another key with the same kid", () => signRs(other, accessClaims())],
    ["expired", () => signRs(key, accessClaims({ exp: Math.floor(Date.now() / 1000) - 60 }))],
    [
      "from another pool",
      () => signRs(key, accessClaims({ iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other" })),
    ],
    ["meant as an id token", () => signRs(key, accessClaims({ token_use: "id" }))],
    ["without the route's scope", () => signRs(key, accessClaims({ scope: "orders/write" }))],
  ])("GIVEN a token %s WHEN authorized THEN it is refused with Unauthorized", async (_, token) => {
    await expect(authorizer.handler(event(token()))).rejects.toThrow(/^Unauthorized$/);
  });
});

describe("repairing creates the emulator carried out twice", () => {
  const apiKey =
    "Error: creating API Gateway API Key (m2mbench-bench-clients-partner-0387): operation error API Gateway: CreateApiKey, https response error StatusCode: 409, RequestID: x, ConflictException: API Key already exists";
  const secret =
    "Error: creating Secrets Manager Secret (m2mbench/bench/clients/partner-0185): operation error Secrets Manager: CreateSecret, https response error StatusCode: 400, RequestID: y, ResourceExistsException: The operation failed because the secret m2mbench/bench/clients/partner-0185 already exists.";

  test("GIVEN only duplicate-create errors WHEN read THEN each names what to remove", () => {
    expect(duplicateCreates(`${apiKey}\n\n  with aws_api_gateway_api_key.partner-0387,\n${secret}\n`)).toEqual([
      { kind: "api-key", name: "m2mbench-bench-clients-partner-0387" },
      { kind: "secret", name: "m2mbench/bench/clients/partner-0185" },
    ]);
  });

  test("GIVEN any other error beside them, or none WHEN read THEN nothing is repaired", () => {
    expect(duplicateCreates(`${apiKey}\nError: creating Cognito User Pool Client (x): AccessDenied`)).toBeUndefined();
    expect(duplicateCreates("Apply complete!")).toBeUndefined();
  });
});

describe("the report", () => {
  test("GIVEN a value over its limit WHEN judged THEN the verdict says missed and by how much", () => {
    expect(atMost(18, 15)).toEqual({ kind: "missed", detail: "by +20 %" });
    expect(atMost(15, 15)).toEqual({ kind: "met" });
  });

  test("GIVEN a result WHEN rendered THEN it is a Markdown table with one row per figure and pipes escaped", () => {
    const markdown = renderResult({
      title: "9. Example",
      summary: "One line.",
      rows: [
        { metric: "a | b", measured: "18 ms", target: "≤ 15 ms", verdict: atMost(18, 15) },
        { metric: "c", measured: "1", target: "—", verdict: { kind: "info" } },
      ],
      notes: ["why"],
      durationMs: 1,
    });
    expect(markdown.split("\n")).toEqual([
      "## 9. Example",
      "",
      "One line.",
      "",
      "| Metric | Measured | Target | Verdict |",
      "| --- | ---: | ---: | --- |",
      "| a \\| b | 18 ms | ≤ 15 ms | **missed** by +20 % |",
      "| c | 1 | — | — |",
      "",
      "- why",
    ]);
  });

  test("GIVEN --only with known benchmarks WHEN read THEN the run is those, in the order given", () => {
    expect(runOptions({ quick: true, only: "plan,memory" })).toEqual({ quick: true, only: ["plan", "memory"] });
    expect(runOptions({})).toEqual({ quick: false, only: undefined });
  });

  test("GIVEN an unknown benchmark WHEN read THEN it is a usage error naming it and the known ones", () => {
    expect(() => runOptions({ only: "plans" })).toThrow(UsageError);
    expect(() => runOptions({ only: "plans" })).toThrow(
      `--only: unknown benchmark plans; known: per-request, cold-start, synth, plan, shards, memory (usage: ${USAGE})`,
    );
  });
});

describe("the bench command line", () => {
  const run = (argv: readonly string[]) => captureCommand((output) => benchCommand(argv, output));

  test("GIVEN --help WHEN run THEN it prints the usage, runs nothing and exits 0", async () => {
    expect(await run(["--help"])).toEqual({ code: 0, out: [`usage: ${USAGE}`], err: [] });
  });

  test("GIVEN an unknown flag WHEN run THEN one error line names it and the exit code is 2", async () => {
    expect(await run(["--fast"])).toEqual({
      code: 2,
      out: [],
      err: [`error: Unknown option '--fast' (usage: ${USAGE})`],
    });
  });
});
