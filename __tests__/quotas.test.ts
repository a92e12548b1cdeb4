/**
 * The quota guard: a registry that would exceed an AWS quota is refused with one line naming the
 * quota, the limit, the count and where the count comes from; 80 % of a limit is a warning; raised
 * limits come from the registry. The last tests run `main.ts` itself and check that nothing is
 * synthesized when a quota is exceeded.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { checkQuotas } from "../config/quotas";
import { AWS_QUOTAS } from "../model/aws-limits";
import type { Registry } from "../config/schema";
import { formatProblem } from "../config/problems";
import { validateRegistry } from "../config/validate";
import { minimalRegistry } from "./fixtures/minimal-registry";

const REPO = resolve(__dirname, "..");
const TODAY = new Date("2026-11-26");

function registryWith(change: (draft: any) => void): Registry {
  const draft: any = structuredClone(minimalRegistry);
  change(draft);
  return draft as Registry;
}

function quotaLines(registry: Registry): string[] {
  return checkQuotas(registry).map(formatProblem);
}

/** `count` copies of the fixture's first client, keyed `client-0`, `client-1`, … */
function manyClients(count: number, environments: readonly string[], prefix = "client"): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    ...minimalRegistry.clients[0],
    key: `${prefix}-${i}`,
    environments: [...environments],
  }));
}

/** Adds an environment, with the upstream URL every http-proxy route needs for it. */
function addEnvironment(draft: any, name: string, environment: Record<string, unknown>): void {
  draft.environments[name] = {
    region: "eu-west-1",
    stageName: "v1",
    protected: false,
    cognitoDomainPrefix: `test-m2m-${name}`,
    ...environment,
  };
  for (const route of draft.routes) {
    if (route.integration.type === "http-proxy") route.integration.url[name] = `https://${name}.example.com/x`;
  }
}

describe("GIVEN registries well within every quota", () => {
  test("WHEN the fixture is checked THEN there is no problem", () => {
    expect(quotaLines(minimalRegistry)).toEqual([]);
  });
});

describe("app clients per user pool", () => {
  test("GIVEN 1,001 clients in dev WHEN checked THEN dev's pool is refused", () => {
    const registry = registryWith((d) => (d.clients = manyClients(1001, ["dev"])));
    expect(quotaLines(registry)).toEqual([
      'error: environments.dev: app clients in user pool m2m-dev: 1,001 of 1,000 (app clients per user pool, adjustable: set quotas.appClientsPerUserPool once AWS raises it): one per client that lists "dev" in its environments',
    ]);
  });

  test("GIVEN 1,001 clients in a dev spread over 8 shards WHEN checked THEN the one pool is still refused", () => {
    const registry = registryWith((d) => {
      d.clients = manyClients(1001, ["dev"]);
      d.environments.dev.clientShards = 8;
    });
    expect(quotaLines(registry)).toEqual([
      'error: environments.dev: app clients in user pool m2m-dev: 1,001 of 1,000 (app clients per user pool, adjustable: set quotas.appClientsPerUserPool once AWS raises it): one per client that lists "dev" in its environments',
    ]);
  });

  test("GIVEN 800 clients in dev and prod WHEN checked THEN both pools warn at 80 %", () => {
    const registry = registryWith((d) => (d.clients = manyClients(800, ["dev", "prod"])));
    expect(quotaLines(registry)).toEqual([
      'warning: environments.dev: app clients in user pool m2m-dev: 800 of 1,000 (app clients per user pool, adjustable: set quotas.appClientsPerUserPool once AWS raises it): one per client that lists "dev" in its environments',
      'warning: environments.prod: app clients in user pool m2m-prod: 800 of 1,000 (app clients per user pool, adjustable: set quotas.appClientsPerUserPool once AWS raises it): one per client that lists "prod" in its environments',
    ]);
  });

  test("GIVEN 799 clients WHEN checked THEN there is no warning yet", () => {
    expect(quotaLines(registryWith((d) => (d.clients = manyClients(799, ["dev"]))))).toEqual([]);
  });

  test("GIVEN the limit raised to 2,000 in the registry WHEN 1,001 clients are checked THEN they pass, and 1,600 warn against 2,000", () => {
    expect(
      quotaLines(
        registryWith((d) => ((d.clients = manyClients(1001, ["dev"])), (d.quotas = { appClientsPerUserPool: 2000 }))),
      ),
    ).toEqual([]);
    expect(
      quotaLines(
        registryWith((d) => ((d.clients = manyClients(1600, ["dev"])), (d.quotas = { appClientsPerUserPool: 2000 }))),
      ),
    ).toEqual([
      'warning: environments.dev: app clients in user pool m2m-dev: 1,600 of 2,000 (app clients per user pool, adjustable: set quotas.appClientsPerUserPool once AWS raises it): one per client that lists "dev" in its environments',
    ]);
  });
});

describe("resource servers and scopes", () => {
  test("GIVEN 26 resource servers WHEN checked THEN every pool would exceed 25", () => {
    const registry = registryWith((d) => {
      for (let i = 0; i < 25; i++) d.resourceServers[`api-${i}`] = { name: `API ${i}`, scopes: { read: "Read" } };
    });
    expect(quotaLines(registry)).toEqual([
      "error: resourceServers: resource servers in each user pool: 26 of 25 (resource servers per user pool, adjustable: set quotas.resourceServersPerUserPool once AWS raises it): every environment's pool holds all 26 defined in resourceServers",
    ]);
  });

  test("GIVEN a resource server with 101 scopes WHEN checked THEN it is refused (not adjustable)", () => {
    const registry = registryWith((d) => {
      for (let i = 0; i < 99; i++) d.resourceServers.orders.scopes[`extra-${i}`] = "More";
    });
    expect(quotaLines(registry)).toEqual([
      "error: resourceServers.orders.scopes: custom scopes: 101 of 100 (custom scopes per resource server, not adjustable): 101 defined in resourceServers.orders.scopes",
    ]);
  });

  test("GIVEN a client allowed 51 scopes WHEN checked THEN it is refused, and 40 warn", () => {
    const scopes = (n: number) => Array.from({ length: n }, (_, i) => `orders/s${i}`);
    const registry = registryWith((d) => {
      d.clients[0].scopes = scopes(51);
      d.clients[1].scopes = scopes(40);
    });
    expect(quotaLines(registry)).toEqual([
      'error: clients["acme-billing"].scopes: scopes of the app client: 51 of 50 (scopes per app client, not adjustable): 51 listed in scopes',
      'warning: clients["globex-orders"].scopes: scopes of the app client: 40 of 50 (scopes per app client, not adjustable): 40 listed in scopes',
    ]);
  });
});

describe("API keys and usage plans per account and region", () => {
  /** prod 6,001 keys and staging 4,000, both in eu-west-1, with the app-client limit raised out of the way. */
  function sharedAccountRegistry(stagingAccount: string | undefined): Registry {
    return registryWith((d) => {
      d.environments.prod.account = "111111111111";
      addEnvironment(d, "staging", { account: stagingAccount });
      d.clients = [...manyClients(4000, ["prod", "staging"], "both"), ...manyClients(2001, ["prod"], "prod-only")];
      d.quotas = { appClientsPerUserPool: 10_000 };
    });
  }

  test("GIVEN prod and staging in one account and region WHEN checked THEN their API keys are summed and refused", () => {
    expect(quotaLines(sharedAccountRegistry("111111111111"))).toEqual([
      "error: environments.prod: API keys in account 111111111111 / eu-west-1: 10,001 of 10,000 (API keys per account and region, not adjustable): 6,001 from prod + 4,000 from staging",
    ]);
  });

  test("GIVEN staging in another account WHEN checked THEN nothing is summed and nothing is refused", () => {
    expect(quotaLines(sharedAccountRegistry("222222222222"))).toEqual([]);
  });

  test("GIVEN staging with no account set WHEN checked THEN it counts as its own account", () => {
    expect(quotaLines(sharedAccountRegistry(undefined))).toEqual([]);
  });

  test("GIVEN 8,000 API keys in one account WHEN checked THEN it warns at 80 %", () => {
    const registry = registryWith((d) => {
      d.environments.dev.account = "111111111111";
      d.environments.prod.account = "111111111111";
      d.clients = manyClients(4000, ["dev", "prod"]);
      d.quotas = { appClientsPerUserPool: 10_000 };
    });
    expect(quotaLines(registry)).toEqual([
      "warning: environments.dev: API keys in account 111111111111 / eu-west-1: 8,000 of 10,000 (API keys per account and region, not adjustable): 4,000 from dev + 4,000 from prod",
    ]);
  });

  test("GIVEN 151 tiers in two environments of one account WHEN checked THEN 302 usage plans are refused", () => {
    const registry = registryWith((d) => {
      d.environments.dev.account = "111111111111";
      d.environments.prod.account = "111111111111";
      for (let i = 0; i < 149; i++) d.tiers[`tier${i}`] = d.tiers.basic;
    });
    expect(quotaLines(registry)).toEqual([
      "error: environments.dev: usage plans in account 111111111111 / eu-west-1: 302 of 300 (usage plans per account and region, adjustable: set quotas.usagePlansPerAccountAndRegion once AWS raises it): one per tier in each environment: 151 from dev + 151 from prod",
    ]);
  });

  test("GIVEN 151 tiers in two environments with no account set WHEN checked THEN each counts alone and 151 of 300 passes", () => {
    const registry = registryWith((d) => {
      for (let i = 0; i < 149; i++) d.tiers[`tier${i}`] = d.tiers.basic;
    });
    expect(quotaLines(registry)).toEqual([]);
  });
});

describe("bounds on single values are the validator's, not the guard's", () => {
  test("GIVEN a 4-minute token and a 3,601 s cache WHEN validated THEN each is one line, from the validator alone", () => {
    const registry = registryWith((d) => {
      d.clients[0].accessTokenValidityMinutes = 4;
      d.environments.prod.authorizerCacheTtlSeconds = 3601;
    });
    expect(quotaLines(registry)).toEqual([]);
    expect(validateRegistry(registry, { today: TODAY }).map(formatProblem)).toEqual([
      "error: environments.prod.authorizerCacheTtlSeconds: must be a whole number from 0 to 3600 (API Gateway's limit); got 3601",
      `error: clients["acme-billing"].accessTokenValidityMinutes: must be a whole number from 5 to 1440 (Cognito's 5 minutes to 1 day); got 4`,
    ]);
  });
});

describe("the authorizer's environment variables against Lambda's 4 KB", () => {
  const routes = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      method: "GET",
      path: `/catalogue/items-${String(i).padStart(3, "0")}/{itemId}`,
      scopes: ["orders/read"],
      integration: { type: "mock" },
    }));

  test("GIVEN 60 routes WHEN checked THEN the route table no longer fits", () => {
    const registry = registryWith((d) => (d.routes = routes(60)));
    expect(quotaLines(registry)).toEqual([
      "error: routes: authorizer environment variables: 4,939 of 4,096 (environment variables per Lambda function, bytes, not adjustable): 4,872 bytes of ROUTE_TABLE for 60 routes + 67 bytes of USER_POOL_ID",
    ]);
  });

  test("GIVEN 46 routes WHEN checked THEN it warns", () => {
    const registry = registryWith((d) => (d.routes = routes(46)));
    expect(quotaLines(registry)).toEqual([
      "warning: routes: authorizer environment variables: 3,805 of 4,096 (environment variables per Lambda function, bytes, not adjustable): 3,738 bytes of ROUTE_TABLE for 46 routes + 67 bytes of USER_POOL_ID",
    ]);
  });
});

describe("the quotas setting", () => {
  test("GIVEN a fixed quota raised, an adjustable one lowered and an unknown one WHEN checked THEN each is refused", () => {
    const registry = registryWith(
      (d) => (d.quotas = { apiKeysPerAccountAndRegion: 20_000, appClientsPerUserPool: 500, usagePlans: 400 }),
    );
    expect(quotaLines(registry)).toEqual([
      "error: registry.quotas.apiKeysPerAccountAndRegion: cannot be raised: AWS fixes API keys per account and region at 10,000; got 20000",
      "error: registry.quotas.appClientsPerUserPool: must be a whole number of at least 1,000 (the AWS default of app clients per user pool): set it to the limit AWS raised your account to; got 500",
      `error: registry.quotas.usagePlans: is not a quota the guard knows; it knows ${Object.keys(AWS_QUOTAS).join(", ")}`,
    ]);
  });

  test("GIVEN a fixed quota restated at its AWS value WHEN checked THEN it is accepted", () => {
    expect(quotaLines(registryWith((d) => (d.quotas = { scopesPerAppClient: 50 })))).toEqual([]);
  });
});

describe("npm run synth (main.ts) with the quota guard", () => {
  let workDir: string;
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), "m2m-quotas-"));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  /** Runs `npm run synth`'s command on `registry`; `source` is how main names the module (outside the repo: its absolute path). */
  function runMain(registry: unknown): {
    status: number | null;
    stdout: string;
    stderr: string;
    outdir: string;
    source: string;
  } {
    const modulePath = join(workDir, "registry.ts");
    writeFileSync(modulePath, `export default ${JSON.stringify(registry)};\n`);
    const outdir = join(workDir, "out");
    const env: NodeJS.ProcessEnv = { ...process.env, M2M_CONFIG: modulePath, CDKTF_OUTDIR: outdir };
    delete env.TFC_ORGANIZATION;
    const result = spawnSync("npx", ["tsx", "main.ts"], {
      cwd: REPO,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, outdir, source: modulePath };
  }

  const outdirEntries = (outdir: string): string[] => {
    try {
      return readdirSync(outdir);
    } catch {
      return [];
    }
  };

  test("GIVEN 10,001 API keys in one account and region WHEN synthesized THEN it exits 1, names the quota and writes nothing", () => {
    const registry = registryWith((d) => {
      d.environments.prod.account = "111111111111";
      addEnvironment(d, "staging", { account: "111111111111", manageApiGatewayAccount: false });
      d.clients = [...manyClients(4000, ["prod", "staging"], "both"), ...manyClients(2001, ["prod"], "prod-only")];
      d.quotas = { appClientsPerUserPool: 10_000 };
    });
    const run = runMain(registry);
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "error: environments.prod: API keys in account 111111111111 / eu-west-1: 10,001 of 10,000 (API keys per account and region, not adjustable): 6,001 from prod + 4,000 from staging",
      `${run.source}: 1 error(s); nothing was synthesized.`,
    ]);
    expect(run.stdout).toBe("");
    expect(outdirEntries(run.outdir)).toEqual([]);
  });

  test("GIVEN a registry at 80 % of a quota WHEN synthesized THEN the warning prints and the stacks are written", () => {
    const registry = registryWith((d) => {
      for (let i = 0; i < 19; i++) d.resourceServers[`api-${i}`] = { name: `API ${i}`, scopes: { read: "Read" } };
    });
    const run = runMain(registry);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "warning: resourceServers: resource servers in each user pool: 20 of 25 (resource servers per user pool, adjustable: set quotas.resourceServersPerUserPool once AWS raises it): every environment's pool holds all 20 defined in resourceServers",
    ]);
    expect(run.status).toBe(0);
    expect(readdirSync(join(run.outdir, "stacks")).sort()).toEqual(["dev", "prod"]);
  });
});
