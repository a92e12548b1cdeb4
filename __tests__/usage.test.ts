/**
 * `npm run usage`: the report against moto for what moto implements (usage plans, API keys, plan
 * keys, found by name and tag) and with `GetUsage`, which moto lacks, answered at the SDK boundary by
 * aws-sdk-client-mock. The exact table and the exact `GetUsage` calls are asserted.
 */
import {
  APIGatewayClient,
  CreateUsagePlanCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  type GetUsageCommandInput,
} from "@aws-sdk/client-api-gateway";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { resolveDateRange } from "../scripts/lib/date-range";
import { environmentContext } from "../scripts/lib/environment-context";
import { buildUsageReport } from "../scripts/lib/usage-report";
import { formatUsageReport } from "../scripts/lib/usage-table";
import { usageCommand } from "../scripts/usage";
import { passThrough, realSend } from "./support/sdk-passthrough";
import registry from "./fixtures/operator-registry";
import { captureCommand } from "./support/cli-output";
import { EMULATOR_CREDENTIALS } from "./support/seed-deployment";
import { OPERATOR_REGION, operatorSandbox } from "./support/operator-sandbox";

jest.setTimeout(120_000);

const REGION = OPERATOR_REGION;
const TODAY = new Date("2026-05-19T15:30:00Z");

const sandbox = operatorSandbox("usage", {
  seed: { skipClients: ["umbrella-sandbox"], orphanClientKeys: ["old-partner"] },
  // Same name as dev's gold plan, but another environment's: the report must not pick it up.
  prepare: async ({ aws }) => {
    await aws.apiGateway.send(
      new CreateUsagePlanCommand({
        name: "m2m-dev-gold",
        quota: { limit: 5, period: "DAY" },
        tags: { "m2m:environment": "staging" },
      }),
    );
  },
});

/** Daily [used, remaining] figures of one client over the report's days. */
type DailyUsage = [used: number, remaining: number][];

/**
 * GetUsage's answers: per usage plan (by tier), its pages in order, each one client's daily figures;
 * gold comes in two pages, as API Gateway pages a plan with many keys. Each request is recorded as a
 * copy: the SDK's paginator reuses one input object for every page.
 */
function usageAnswers(recorded: GetUsageCommandInput[] = []): (input: GetUsageCommandInput) => object {
  const pages: Record<string, [client: string, usage: DailyUsage][]> = {
    gold: [
      ["globex-fulfilment", [[500_000, 500_000]]],
      ["globex-fulfilment", [[850_000, 150_000]]],
    ],
    silver: [
      [
        "acme-billing",
        [
          [100, 99_900],
          [250, 99_650],
        ],
      ],
    ],
    bronze: [
      [
        "initech-reports",
        [
          [600, 400],
          [225, 175],
        ],
      ],
    ],
  };
  return (input) => {
    recorded.push({ ...input });
    const tier = Object.keys(pages).find((name) => sandbox.seeded.usagePlanIds[name] === input.usagePlanId);
    if (tier === undefined) throw new Error(`unexpected GetUsage for plan ${input.usagePlanId}`);
    // Page tokens count from 1, as people do: the first page has none, the second is `<tier>-page-2`.
    const page = input.position === undefined ? 0 : Number(input.position.replace(`${tier}-page-`, "")) - 1;
    const [client, usage] = pages[tier][page];
    return {
      usagePlanId: input.usagePlanId,
      startDate: input.startDate,
      endDate: input.endDate,
      items: { [sandbox.seeded.apiKeyIds[client]]: usage },
      ...(page + 1 < pages[tier].length ? { position: `${tier}-page-${page + 2}` } : {}),
    };
  };
}

/** A stub on every APIGatewayClient: moto answers what it implements, the stub answers GetUsage. */
function stubApiGateway(recordedUsage: GetUsageCommandInput[] = []) {
  const send = realSend(APIGatewayClient, sandbox.aws.apiGateway);
  const stub = mockClient(APIGatewayClient);
  passThrough(stub, send, [GetUsagePlansCommand, GetApiKeysCommand, GetUsagePlanKeysCommand]);
  stub.on(GetUsageCommand).callsFake(usageAnswers(recordedUsage));
  return stub;
}

const EXPECTED_TABLE = [
  "Usage in dev (eu-west-1) from 2026-05-01 to 2026-05-19 (19 days)",
  "",
  "CLIENT             TIER        QUOTA  PER         USED  REMAINING  USED%  THROTTLE          NOTE",
  "globex-fulfilment  gold    1,000,000  day    1,350,000    150,000  85.0%  500/s burst 1000  over 80%",
  "initech-reports    bronze      1,000  month        825        175  82.5%  5/s burst 10      over 80%",
  "acme-billing       silver    100,000  week         350     99,650   0.4%  50/s burst 100",
  "warehouse-bot      gold    1,000,000  day            0  1,000,000   0.0%  500/s burst 1000",
  "umbrella-sandbox   bronze      1,000  month          -          -      -  5/s burst 10      not deployed",
  "",
  "USED counts requests from 2026-05-01 to 2026-05-19; REMAINING and USED% are for the quota period that contains 2026-05-19.",
  "2 clients are over 80% of quota.",
  "API keys tagged for dev whose client is not in the config: old-partner",
];

describe("usage report against moto, GetUsage at the SDK boundary", () => {
  test("GIVEN five clients in dev WHEN the report runs for this month THEN the table is sorted by share of quota and flags two", async () => {
    const stub = stubApiGateway();
    try {
      const output = { out: [] as string[], err: [] as string[] };
      const code = await usageCommand(
        ["--env", "dev", "--endpoint-url", sandbox.endpoint],
        { out: (l) => output.out.push(l), err: (l) => output.err.push(l) },
        TODAY,
      );
      expect({ code, err: output.err }).toEqual({ code: 0, err: [] });
      expect(output.out.join("\n").split("\n")).toEqual(EXPECTED_TABLE);
    } finally {
      stub.restore();
    }
  });

  test("GetUsage is called once per page of each tier's plan with the month so far, and never for the stray plan", async () => {
    const recorded: GetUsageCommandInput[] = [];
    const stub = stubApiGateway(recorded);
    try {
      const context = environmentContext(registry, "dev");
      await buildUsageReport({
        context,
        range: resolveDateRange({ today: TODAY }),
        apiGateway: new APIGatewayClient({ region: REGION }),
      });
      const tierOf = Object.fromEntries(Object.entries(sandbox.seeded.usagePlanIds).map(([tier, id]) => [id, tier]));
      const calls = recorded.map(
        (c) => `${tierOf[c.usagePlanId!]} ${c.startDate}..${c.endDate} limit=${c.limit} position=${c.position ?? "-"}`,
      );
      expect(calls.sort()).toEqual([
        "bronze 2026-05-01..2026-05-19 limit=500 position=-",
        "gold 2026-05-01..2026-05-19 limit=500 position=-",
        "gold 2026-05-01..2026-05-19 limit=500 position=gold-page-2",
        "silver 2026-05-01..2026-05-19 limit=500 position=-",
      ]);
      expect(stub).toHaveReceivedCommandWith(GetApiKeysCommand, { includeValues: false });
    } finally {
      stub.restore();
    }
  });

  test("--json prints the same figures as data", async () => {
    const stub = stubApiGateway();
    try {
      const out: string[] = [];
      const code = await usageCommand(
        ["--env", "dev", "--json", "--from", "2026-05-18", "--endpoint-url", sandbox.endpoint],
        { out: (l) => out.push(l), err: () => undefined },
        TODAY,
      );
      expect(code).toBe(0);
      const report = JSON.parse(out.join("\n"));
      expect({ from: report.from, to: report.to, deployedNotInConfig: report.deployedNotInConfig }).toEqual({
        from: "2026-05-18",
        to: "2026-05-19",
        deployedNotInConfig: ["old-partner"],
      });
      expect(report.clients[0]).toEqual({
        client: "globex-fulfilment",
        tier: "gold",
        quota: { limit: 1_000_000, period: "DAY" },
        throttle: { rateLimit: 500, burstLimit: 1000 },
        status: "ok",
        used: 1_350_000,
        remaining: 150_000,
        percentOfQuota: 85,
        flagged: true,
      });
      expect(report.clients.map((c: { client: string; status: string }) => `${c.client}:${c.status}`)).toEqual([
        "globex-fulfilment:ok",
        "initech-reports:ok",
        "acme-billing:ok",
        "warehouse-bot:ok",
        "umbrella-sandbox:not deployed",
      ]);
    } finally {
      stub.restore();
    }
  });

  test("an environment with nothing deployed reports every client as not deployed and calls no GetUsage", async () => {
    const stub = stubApiGateway();
    try {
      const report = await buildUsageReport({
        context: environmentContext(registry, "prod"),
        range: resolveDateRange({ today: TODAY }),
        apiGateway: new APIGatewayClient({ region: REGION }),
      });
      expect(report.clients.map((c) => [c.client, c.status])).toEqual([
        ["acme-billing", "not deployed"],
        ["globex-fulfilment", "not deployed"],
      ]);
      expect(stub).toHaveReceivedCommandTimes(GetUsageCommand, 0);
    } finally {
      stub.restore();
    }
  });
});

describe("paging and plan membership, at the SDK boundary (moto returns one page)", () => {
  test("GIVEN plans, keys and plan keys split over pages THEN every page is read and a key outside its plan is reported", async () => {
    const apiGateway = new APIGatewayClient({ region: REGION, credentials: EMULATOR_CREDENTIALS });
    const stub = mockClient(apiGateway);
    const requests: string[] = [];
    const tags = { "m2m:environment": "dev" };
    const key = (client: string, id: string) => ({
      id,
      name: `m2m-dev-clients-${client}`,
      tags: { ...tags, "m2m:client": client },
    });
    stub.on(GetUsagePlansCommand).callsFake((input) => {
      requests.push(`GetUsagePlans limit=${input.limit} position=${input.position ?? "-"}`);
      return input.position === "plans-2"
        ? {
            items: [
              { id: "p-gold", name: "m2m-dev-gold", tags, quota: { limit: 1_000_000, period: "DAY" } },
              { id: "p-silver", name: "m2m-dev-silver", tags },
            ],
          }
        : {
            items: [{ id: "p-bronze", name: "m2m-dev-bronze", tags, quota: { limit: 1000, period: "MONTH" } }],
            position: "plans-2",
          };
    });
    stub.on(GetApiKeysCommand).callsFake((input) => {
      requests.push(
        `GetApiKeys includeValues=${input.includeValues} limit=${input.limit} position=${input.position ?? "-"}`,
      );
      return input.position === "keys-2"
        ? { items: [key("initech-reports", "k-initech"), key("warehouse-bot", "k-bot")] }
        : { items: [key("acme-billing", "k-acme"), key("globex-fulfilment", "k-globex")], position: "keys-2" };
    });
    const planKeys: Record<string, { id: string }[][]> = {
      "p-gold": [[{ id: "k-globex" }], []],
      "p-silver": [[{ id: "k-acme" }]],
      "p-bronze": [[{ id: "k-initech" }]],
    };
    stub.on(GetUsagePlanKeysCommand).callsFake((input) => {
      requests.push(`GetUsagePlanKeys ${input.usagePlanId} position=${input.position ?? "-"}`);
      const pages = planKeys[input.usagePlanId];
      const page = input.position ? Number(input.position) : 0;
      return { items: pages[page], ...(page + 1 < pages.length ? { position: String(page + 1) } : {}) };
    });
    stub.on(GetUsageCommand).resolves({ items: {} });

    const report = await buildUsageReport({
      context: environmentContext(registry, "dev"),
      range: { from: "2026-05-19", to: "2026-05-19" },
      apiGateway,
    });

    expect(report.clients.map((c) => [c.client, c.status, c.used])).toEqual([
      ["acme-billing", "ok", 0],
      ["globex-fulfilment", "ok", 0],
      ["initech-reports", "ok", 0],
      ["umbrella-sandbox", "not deployed", null],
      ["warehouse-bot", "not in usage plan", null],
    ]);
    expect(requests.sort()).toEqual([
      "GetApiKeys includeValues=false limit=500 position=-",
      "GetApiKeys includeValues=false limit=500 position=keys-2",
      "GetUsagePlanKeys p-bronze position=-",
      "GetUsagePlanKeys p-gold position=-",
      "GetUsagePlanKeys p-gold position=1",
      "GetUsagePlanKeys p-silver position=-",
      "GetUsagePlans limit=500 position=-",
      "GetUsagePlans limit=500 position=plans-2",
    ]);
    expect(formatUsageReport(report).slice(2, 8)).toEqual([
      "CLIENT             TIER        QUOTA  PER    USED  REMAINING  USED%  THROTTLE          NOTE",
      "acme-billing       silver    100,000  week      0    100,000   0.0%  50/s burst 100",
      "globex-fulfilment  gold    1,000,000  day       0  1,000,000   0.0%  500/s burst 1000",
      "initech-reports    bronze      1,000  month     0      1,000   0.0%  5/s burst 10",
      "umbrella-sandbox   bronze      1,000  month     -          -      -  5/s burst 10      not deployed",
      "warehouse-bot      gold    1,000,000  day       -          -      -  500/s burst 1000  not in usage plan",
    ]);
  });
});

describe("date range", () => {
  test("defaults to the first of the month up to today (UTC)", () => {
    expect(resolveDateRange({ today: TODAY })).toEqual({ from: "2026-05-01", to: "2026-05-19" });
  });

  test.each([
    [
      { from: "2026-01-01", to: "2026-05-19" },
      "--from 2026-01-01 --to 2026-05-19 spans 139 days; API Gateway usage covers at most 90 days per report: use --from 2026-02-19 or later",
    ],
    [{ from: "2026-02-30" }, '--from "2026-02-30" is not a calendar date in the form YYYY-MM-DD'],
    [{ from: "2026-05-10", to: "2026-05-01" }, "--from 2026-05-10 is after --to 2026-05-01"],
    [{ to: "2026-05-20" }, "--to 2026-05-20 is in the future (today is 2026-05-19 UTC)"],
  ])("refuses %j with one clear line", (flags, message) => {
    expect(() => resolveDateRange({ ...flags, today: TODAY })).toThrow(message);
  });

  test("exactly 90 days is allowed", () => {
    expect(resolveDateRange({ from: "2026-02-19", to: "2026-05-19", today: TODAY })).toEqual({
      from: "2026-02-19",
      to: "2026-05-19",
    });
  });
});

describe("command line", () => {
  const run = (argv: string[]) => captureCommand((output) => usageCommand(argv, output, TODAY));

  test.each([
    [["--env", "qa"], 'error: --env "qa" is not an environment of the registry (one of: dev, prod)'],
    [
      ["--env", "dev", "--from", "2026-01-01"],
      "error: --from 2026-01-01 --to 2026-05-19 spans 139 days; API Gateway usage covers at most 90 days per report: use --from 2026-02-19 or later",
    ],
    [
      ["--env", "dev", "--since", "2026-05-01"],
      "error: Unknown option '--since' (usage: npm run usage -- --env <env> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--endpoint-url URL])",
    ],
    [
      [],
      "error: --env is required, one of: dev, prod (usage: npm run usage -- --env <env> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--endpoint-url URL])",
    ],
  ])("%j exits 2 with one line and no AWS call", async (argv, line) => {
    expect(await run(argv)).toEqual({ code: 2, out: [], err: [line] });
  });

  test("an AWS failure is one line and exit 1, without a stack trace", async () => {
    const result = await run(["--env", "dev", "--endpoint-url", "http://127.0.0.1:9"]);
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^error: AWS .*ECONNREFUSED/);
    expect(result.err[0]).not.toMatch(/\n|\s+at /);
  });
});
