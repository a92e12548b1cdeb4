/**
 * `npm run reshard` as an operator runs it: a child process in a real git repository whose committed
 * registry is what is deployed (local state files beside it), and whose working tree changes
 * `clientShards`. The moves it writes are asserted exactly; what they do to real resources is
 * `__tests__/emulator/reshard.test.ts`.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { minimalRegistry } from "./fixtures/minimal-registry";
import { createScratchRepo, type ScratchRepo } from "./support/scratch-repo";

const USAGE = "npm run reshard -- --env <env> [--base <git-ref>] [--outdir <dir>]";
const MOVES = "config/reshard/dev.json";

let scratch: ScratchRepo;
let repo: string;
beforeEach(() => {
  scratch = createScratchRepo("m2m-reshard-");
  repo = scratch.dir;
});
afterEach(() => scratch.remove());

const write = (path: string, text: string) => scratch.write(path, text);

/** The minimal fixture with dev over `shards` client stacks, as the registry module. */
function writeRegistry(shards: number): void {
  const registry = {
    ...minimalRegistry,
    environments: {
      ...minimalRegistry.environments,
      dev: { ...minimalRegistry.environments.dev, clientShards: shards },
    },
  };
  write(
    "config/registry.ts",
    `import { defineRegistry } from "./schema";\n\nexport default defineRegistry(${JSON.stringify(registry)} as any);\n`,
  );
}

/** A local state file, in Terraform's format, holding `resources` (address → attributes). */
function writeState(stack: string, resources: Record<string, Record<string, unknown>>): void {
  const list = Object.entries(resources).map(([address, attributes]) => {
    const [type, name] = address.split(".");
    return {
      mode: "managed",
      type,
      name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ attributes }],
    };
  });
  write(`terraform-state/${stack}.tfstate`, JSON.stringify({ version: 4, resources: list }));
}

/** What globex-orders' five resources and its consumer key record in a state. */
const GLOBEX = {
  "aws_cognito_user_pool_client.globex-orders": { id: "globexclient", user_pool_id: "eu-west-1_pool" },
  "aws_api_gateway_api_key.globex-orders": { id: "globexkey" },
  "aws_api_gateway_usage_plan_key.globex-orders": {
    id: "globexkey",
    key_id: "globexkey",
    usage_plan_id: "premiumplan",
  },
  "aws_secretsmanager_secret.globex-orders": { id: "arn:globex", arn: "arn:globex" },
  "aws_secretsmanager_secret_version.globex-orders": { id: "arn:globex|v1", version_id: "v1" },
  "aws_kms_key.globex-orders": { id: "globexkmskey", key_id: "globexkmskey" },
  "aws_kms_alias.globex-orders": {
    id: "alias/m2m/dev/clients/globex-orders",
    name: "alias/m2m/dev/clients/globex-orders",
  },
  "aws_secretsmanager_secret_policy.globex-orders": { id: "arn:globex", secret_arn: "arn:globex" },
};
const ACME = {
  "aws_cognito_user_pool_client.acme-billing": { id: "acmeclient", user_pool_id: "eu-west-1_pool" },
  "aws_api_gateway_api_key.acme-billing": { id: "acmekey" },
};

function reshard(...args: string[]) {
  const result = scratch.runScript("reshard.ts", args);
  return { code: result.status, out: result.stdout.trimEnd().split("\n"), err: result.stderr.trimEnd() };
}

describe("npm run reshard", () => {
  beforeEach(() => {
    // GIVEN dev deployed as one stack, and the working tree spreading it over three shards
    writeRegistry(1);
    scratch.commit("deployed");
    writeRegistry(3);
    writeState("dev", { ...ACME, ...GLOBEX });
  });

  test("WHEN run THEN it writes each client's move with the import ids from dev's state", () => {
    expect(reshard("--env", "dev")).toEqual({
      code: 0,
      out: [
        "acme-billing: dev → dev-clients-0, 2 imported, 2 forgotten",
        "globex-orders: dev → dev-clients-1, 7 imported, 8 forgotten",
        `wrote ${MOVES}: 2 client(s) move; commit it with the clientShards change, deploy (platform stack first), then run this again`,
      ],
      err: "",
    });
    const written = JSON.parse(readFileSync(join(repo, MOVES), "utf8"));
    expect(written.moves.map((move: { client: string }) => move.client)).toEqual(["acme-billing", "globex-orders"]);
    expect(written.moves[1]).toEqual({
      client: "globex-orders",
      from: "dev",
      to: "dev-clients-1",
      imports: {
        "aws_cognito_user_pool_client.globex-orders": "eu-west-1_pool/globexclient",
        "aws_api_gateway_api_key.globex-orders": "globexkey",
        "aws_api_gateway_usage_plan_key.globex-orders": "premiumplan/globexkey",
        "aws_secretsmanager_secret.globex-orders": "arn:globex",
        "aws_kms_key.globex-orders": "globexkmskey",
        "aws_kms_alias.globex-orders": "alias/m2m/dev/clients/globex-orders",
        "aws_secretsmanager_secret_policy.globex-orders": "arn:globex",
      },
      forget: [
        "aws_cognito_user_pool_client.globex-orders",
        "aws_api_gateway_api_key.globex-orders",
        "aws_api_gateway_usage_plan_key.globex-orders",
        "aws_secretsmanager_secret.globex-orders",
        "aws_secretsmanager_secret_version.globex-orders",
        "aws_kms_key.globex-orders",
        "aws_kms_alias.globex-orders",
        "aws_secretsmanager_secret_policy.globex-orders",
      ],
    });
    expect(written.environment).toBe("dev");
  });

  test("GIVEN the platform applied but not the shards WHEN run again THEN the recorded moves are kept, with their ids", () => {
    reshard("--env", "dev");
    writeState("dev", {});
    expect(reshard("--env", "dev").out).toEqual([
      "acme-billing: dev → dev-clients-0, kept from the file (not applied yet)",
      "globex-orders: dev → dev-clients-1, kept from the file (not applied yet)",
      `wrote ${MOVES}: 2 client(s) move; commit it with the clientShards change, deploy (platform stack first), then run this again`,
    ]);
    expect(
      JSON.parse(readFileSync(join(repo, MOVES), "utf8")).moves[1].imports["aws_api_gateway_api_key.globex-orders"],
    ).toBe("globexkey");
  });

  test("GIVEN every stack applied WHEN run after the merge THEN it says so and removes the file", () => {
    reshard("--env", "dev");
    scratch.commit("three shards");
    writeState("dev", {});
    writeState("dev-clients-0", ACME);
    writeState("dev-clients-1", GLOBEX);
    expect(reshard("--env", "dev")).toEqual({
      code: 0,
      out: [
        "acme-billing: already in dev-clients-0",
        "globex-orders: already in dev-clients-1",
        `every move is applied: removed ${MOVES}`,
      ],
      err: "",
    });
    expect(existsSync(join(repo, MOVES))).toBe(false);
  });

  test("GIVEN no --env, an unknown one, or --help THEN one line and the exit code say so", () => {
    expect(reshard()).toEqual({
      code: 2,
      out: [""],
      err: `error: --env is required, one of: dev, prod (usage: ${USAGE})`,
    });
    expect(reshard("--env", "qa")).toEqual({
      code: 2,
      out: [""],
      err: 'error: --env "qa" is not an environment of the registry (one of: dev, prod)',
    });
    expect(reshard("--help")).toEqual({ code: 0, out: [`usage: ${USAGE}`], err: "" });
  });
});
