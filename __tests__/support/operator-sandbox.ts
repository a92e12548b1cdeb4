/**
 * The deployment the operator-CLI suites (credentials, usage, rotate-secret) run against: moto on a
 * free 127.0.0.1 port with the operator fixture's `dev` seeded, `umbrella-sandbox` left undeployed,
 * and the process environment pointing the CLIs at it (the fixture as `M2M_CONFIG`, moto's dummy
 * credentials). Call it at the top of a suite: it registers its own `beforeAll` and `afterAll`, which
 * stop moto and restore the environment.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import registry from "../fixtures/operator-registry";
import { type MotoServer, requireMotoServer, startMoto } from "./moto";
import {
  EMULATOR_CREDENTIALS,
  type SeedOptions,
  type SeededDeployment,
  emulatorClients,
  seedDeployment,
} from "./seed-deployment";

/** The operator fixture, as `M2M_CONFIG` names it. */
export const OPERATOR_FIXTURE = resolve(__dirname, "..", "fixtures", "operator-registry.ts");
/** The region of every environment of the operator fixture. */
export const OPERATOR_REGION = registry.environments.dev.region;

/** The running sandbox; read its fields inside tests and hooks, once `beforeAll` has run. */
export interface OperatorSandbox {
  /** moto's URL, for `--endpoint-url`. */
  readonly endpoint: string;
  /** What the seeding created. */
  readonly seeded: SeededDeployment;
  /** SDK clients pointed at moto. */
  readonly aws: ReturnType<typeof emulatorClients>;
  /** A folder the suite may write in (moto's log is there too); removed after the suite. */
  readonly logDir: string;
}

/** What a suite adds to the sandbox. */
export interface OperatorSandboxOptions {
  /** Seeding beyond the default (`umbrella-sandbox` skipped). @default - the default */
  readonly seed?: SeedOptions;
  /** Runs after seeding, before the suite: a change of the deployment the suite is about. */
  readonly prepare?: (sandbox: OperatorSandbox) => Promise<void>;
}

/** Starts the sandbox for the suite this is called in; `name` names its moto log folder. */
export function operatorSandbox(name: string, options: OperatorSandboxOptions = {}): OperatorSandbox {
  let moto: MotoServer | undefined;
  let seeded: SeededDeployment | undefined;
  const logDir = mkdtempSync(join(tmpdir(), `m2m-${name}-`));
  const savedEnv = { ...process.env };
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the operator sandbox is read before its beforeAll ran");
    return value;
  };
  const sandbox: OperatorSandbox = {
    get endpoint() {
      return started(moto).endpoint;
    },
    get seeded() {
      return started(seeded);
    },
    get aws() {
      return emulatorClients(started(moto).endpoint, OPERATOR_REGION);
    },
    logDir,
  };

  beforeAll(async () => {
    requireMotoServer();
    moto = await startMoto({ logDir });
    seeded = await seedDeployment(registry, "dev", moto.endpoint, {
      skipClients: ["umbrella-sandbox"],
      ...options.seed,
    });
    await options.prepare?.(sandbox);
    process.env.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    process.env.M2M_CONFIG = OPERATOR_FIXTURE;
  });

  afterAll(async () => {
    process.env = savedEnv;
    await moto?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  return sandbox;
}
