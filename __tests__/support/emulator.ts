/**
 * Deploys synthesized stacks to a local AWS emulator the way CI deploys them to AWS: `main.ts` with
 * `M2M_CONFIG`, then `terraform init`, `plan -out`, `show -json` and `apply` of the saved plan. The
 * only difference from production is the process environment: `AWS_ENDPOINT_URL` and dummy keys.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { TERRAFORM_CLOUD_VARIABLE_NAMES } from "../../config/terraform-cloud-variables";
import { LOCAL_STATE_FOLDER } from "../../model/names";
import { requireMotoServer, startMotoForStacks } from "./moto";
import { requireTerraform, runTerraform, terraform, terraformAsync, terraformEnv } from "./terraform";

const REPO_ROOT = resolve(__dirname, "..", "..");
const MAIN_TS = join(REPO_ROOT, "main.ts");
const CDKTF_CLI = join(REPO_ROOT, "node_modules", ".bin", "cdktf");

/** Generous limits: a hung child would otherwise block jest, whose timeouts cannot interrupt it. */
const SYNTH_TIMEOUT_MS = 120_000;
const TERRAFORM_TIMEOUT_MS = 180_000;

/**
 * The process environment that points Terraform (and nothing else) at the emulator: every `AWS_*`
 * variable of the caller is dropped, so a developer's profile or real keys can never be used.
 */
export function emulatorAwsEnv(endpoint: string, region: string, scratchDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) env[name] = undefined;
  const noFile = join(scratchDir, "no-aws-config");
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: noFile,
    AWS_SHARED_CREDENTIALS_FILE: noFile,
  };
}

/** What a saved plan does to one resource. */
export type ChangeAction = "create" | "update" | "replace" | "delete" | "read" | "no-op" | "forget";

/** One entry of `resource_changes` in `terraform show -json`. */
export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
    /** Present when the plan imports the resource (an `import` block). */
    readonly importing?: { readonly id: string };
  };
}

/** A saved plan, read through `terraform show -json`. */
export class Plan {
  constructor(readonly resourceChanges: readonly ResourceChange[]) {}

  /** The action on one managed resource, or undefined when the plan does not mention it. */
  action(address: string): ChangeAction | undefined {
    const change = this.resourceChanges.find((c) => c.address === address);
    return change ? actionOf(change.change.actions) : undefined;
  }

  /** Every managed resource the plan changes, as sorted `"<address> <action>"` lines. */
  changes(): string[] {
    return this.resourceChanges
      .filter((c) => c.mode === "managed")
      .map((c) => ({ address: c.address, action: actionOf(c.change.actions) }))
      .filter((c) => c.action !== "no-op")
      .map((c) => `${c.address} ${c.action}`)
      .sort();
  }

  /** Every resource the plan imports, as sorted `"<address> <import id>"` lines. */
  imports(): string[] {
    return this.resourceChanges
      .filter((c) => c.change.importing !== undefined)
      .map((c) => `${c.address} ${c.change.importing!.id}`)
      .sort();
  }

  /**
   * Lambda functions the plan updates only because their code asset is new (another file name, which
   * embeds the hash of the bundled source): `functions/` changed between two synths, as it may while
   * someone edits the checkout during a run. The same code always gives the same asset, so an
   * unchanged function never appears here.
   */
  newFunctionCode(): string[] {
    const codeAttributes = new Set([
      "filename",
      "source_code_hash",
      "last_modified",
      "qualified_arn",
      "qualified_invoke_arn",
      "version",
      "code_sha256",
      "source_code_size",
    ]);
    return this.resourceChanges
      .filter((c) => c.type === "aws_lambda_function" && actionOf(c.change.actions) === "update")
      .filter((c) => c.change.before?.filename !== c.change.after?.filename)
      .filter((c) => this.changedAttributes(c.address).every((name) => codeAttributes.has(name)))
      .map((c) => `${c.address} update`);
  }

  /** Top-level attributes an update or replace changes (values that differ or become unknown). */
  changedAttributes(address: string): string[] {
    const entry = this.resourceChanges.find((c) => c.address === address);
    if (!entry) throw new Error(`the plan does not mention ${address}`);
    const before = entry.change.before ?? {};
    const after = entry.change.after ?? {};
    const unknown = entry.change.after_unknown ?? {};
    const names = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
    return [...names]
      .filter((name) => unknown[name] === true || JSON.stringify(before[name]) !== JSON.stringify(after[name] ?? null))
      .filter((name) => !(before[name] === undefined && after[name] === null && unknown[name] === undefined))
      .sort();
  }
}

function actionOf(actions: readonly string[]): ChangeAction {
  const key = actions.join(",");
  if (key === "delete,create" || key === "create,delete") return "replace";
  if (["create", "update", "delete", "read", "no-op", "forget"].includes(key)) return key as ChangeAction;
  throw new Error(`unexpected plan actions ${JSON.stringify(actions)}`);
}

/** The process environment without any Terraform Cloud setting: stacks synthesized with it keep local state. */
export function withoutTerraformCloud(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, ...Object.fromEntries(TERRAFORM_CLOUD_VARIABLE_NAMES.map((name) => [name, undefined])) };
}

/**
 * The app synthesized into `<root>/cdktf.out`, one Terraform working folder per environment
 * (`cdktf.out/stacks/<env>`); the local backend keeps the state beside it, in
 * `<root>/terraform-state/<env>.tfstate`. Synth rewrites `cdk.tf.json` and the assets in place and
 * leaves `.terraform` and the state alone.
 */
/** What an emulator suite runs against: moto for the stacks and a scratch folder that holds its log. */
export interface Emulator {
  /** The scratch folder, removed by {@link Emulator.stop}. */
  readonly root: string;
  /** moto's URL. */
  readonly endpoint: string;
  /** The process environment that points Terraform at moto (see {@link emulatorAwsEnv}). */
  readonly awsEnv: NodeJS.ProcessEnv;
  /** A deployment whose `cdktf.out` and state live in `folder` under the root. @default the root */
  deployment(folder?: string): EmulatedDeployment;
  /** Stops moto and removes the scratch folder. */
  stop(): Promise<void>;
}

/**
 * Starts moto on a free 127.0.0.1 port for the stacks of `region`, with a scratch folder named after
 * the suite; fails with an install hint when Terraform or moto is missing.
 */
export async function startEmulator(name: string, region: string): Promise<Emulator> {
  requireTerraform();
  requireMotoServer();
  const root = mkdtempSync(join(tmpdir(), `m2m-${name}-`));
  const moto = await startMotoForStacks(root).catch((error: unknown) => {
    rmSync(root, { recursive: true, force: true });
    throw error;
  });
  const awsEnv = emulatorAwsEnv(moto.endpoint, region, root);
  return {
    root,
    endpoint: moto.endpoint,
    awsEnv,
    deployment: (folder) => {
      const dir = folder === undefined ? root : join(root, folder);
      mkdirSync(dir, { recursive: true });
      return new EmulatedDeployment(dir, awsEnv);
    },
    stop: async () => {
      await moto.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** What {@link planAgainstState} found. */
export interface CrossPlan {
  /** `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, 1 an error. */
  readonly exit: number | null;
  /** "No changes." or the "Plan: …" line. */
  readonly summary: string | undefined;
  readonly stderr: string;
}

/**
 * Plans the configuration `stack` synthesized for `environment` against the state `stateOf` applied:
 * a copy of the stack folder (without its `.terraform`) beside a copy of that state, where the local
 * backend finds it, initialised and planned with `awsEnv`. Nothing of either deployment is changed.
 */
export function planAgainstState(
  stack: EmulatedDeployment,
  stateOf: EmulatedDeployment,
  environment: string,
  awsEnv: NodeJS.ProcessEnv,
  planArgs: readonly string[] = [],
): CrossPlan {
  const crossRoot = mkdtempSync(join(dirname(stack.outdir), "cross-"));
  const crossDir = join(crossRoot, "cdktf.out", "stacks", environment);
  mkdirSync(dirname(crossDir), { recursive: true });
  cpSync(stack.stackDir(environment), crossDir, {
    recursive: true,
    filter: (path) => !path.includes(`${environment}/.terraform`),
  });
  const crossState = join(crossRoot, LOCAL_STATE_FOLDER, `${environment}.tfstate`);
  mkdirSync(dirname(crossState), { recursive: true });
  cpSync(stateOf.stateFile(environment), crossState);
  terraform(crossDir, ["init", "-input=false", "-no-color"], awsEnv);
  const plan = runTerraform(
    crossDir,
    ["plan", "-input=false", "-no-color", "-detailed-exitcode", ...planArgs],
    awsEnv,
    { timeoutMs: TERRAFORM_TIMEOUT_MS },
  );
  return { exit: plan.status, summary: plan.stdout.match(/No changes\.|Plan: .*/)?.[0], stderr: plan.stderr.trim() };
}

export class EmulatedDeployment {
  readonly outdir: string;
  /** Seconds each step took, in order (`synth`, `sandbox: plan`, …), for tuning the suite's budget. */
  readonly timings: { readonly step: string; readonly seconds: number }[] = [];

  constructor(
    private readonly root: string,
    private readonly awsEnv: NodeJS.ProcessEnv,
  ) {
    this.outdir = join(root, "cdktf.out");
  }

  /** The stacks the last synth wrote (cdktf's `manifest.json`), sorted. */
  stackNames(): string[] {
    const manifest = JSON.parse(readFileSync(join(this.outdir, "manifest.json"), "utf8")) as { stacks: object };
    return Object.keys(manifest.stacks).sort();
  }

  /** Folder of one environment's stack. */
  stackDir(environment: string): string {
    return join(this.outdir, "stacks", environment);
  }

  /**
   * Runs the app entry with `M2M_CONFIG=<registry module>`, as `npx tsx main.ts` would, from a
   * working folder of its own. Terraform Cloud settings of the caller are dropped: these stacks keep
   * their state locally.
   */
  synth(registryModule: string): void {
    const started = Date.now();
    const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), MAIN_TS], {
      cwd: this.root,
      env: { ...withoutTerraformCloud(process.env), M2M_CONFIG: registryModule, CDKTF_OUTDIR: this.outdir },
      encoding: "utf8",
      timeout: SYNTH_TIMEOUT_MS,
    });
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(
        `synth of ${registryModule} failed (exit ${result.status}):\n${result.stderr}\n${result.stdout}`.trim(),
      );
    }
    this.timings.push({ step: "synth", seconds: (Date.now() - started) / 1000 });
  }

  /**
   * `npm run synth:hcl` with `M2M_CONFIG=<registry module>`: the cdktf CLI runs the app with
   * `SYNTH_HCL_OUTPUT`, and every stack is written as `cdk.tf`.
   */
  synthHcl(registryModule: string): void {
    const started = Date.now();
    const result = spawnSync(CDKTF_CLI, ["synth", "--hcl", "--output", this.outdir], {
      cwd: REPO_ROOT,
      env: { ...withoutTerraformCloud(terraformEnv()), M2M_CONFIG: registryModule, CI: "1", FORCE_COLOR: "0" },
      encoding: "utf8",
      timeout: SYNTH_TIMEOUT_MS * 2,
    });
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(
        `cdktf synth --hcl of ${registryModule} failed (exit ${result.status}):\n${result.stderr}\n${result.stdout}`.trim(),
      );
    }
    this.timings.push({ step: "synth --hcl", seconds: (Date.now() - started) / 1000 });
  }

  /**
   * `cdktf diff <env> --skip-synth` of what the last synth wrote, as an operator runs it offline
   * (`--skip-provider-lock`: cdktf would otherwise run `terraform providers lock`, which needs the
   * registry). Returns the exit code and cdktf's output.
   */
  cdktfDiff(environment: string): { status: number | null; output: string } {
    const result = spawnSync(
      CDKTF_CLI,
      ["diff", environment, "--skip-synth", "--skip-provider-lock", "--no-color", "--output", this.outdir],
      {
        cwd: REPO_ROOT,
        env: { ...withoutTerraformCloud(terraformEnv()), ...this.awsEnv, CI: "1", FORCE_COLOR: "0" },
        encoding: "utf8",
        timeout: TERRAFORM_TIMEOUT_MS,
      },
    );
    if (result.error) throw result.error;
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  }

  /** Where the local backend keeps an environment's state. */
  stateFile(environment: string): string {
    return join(this.root, LOCAL_STATE_FOLDER, `${environment}.tfstate`);
  }

  /**
   * Adds `lifecycle.ignore_changes` to one resource of the synthesized stack, in place. Only for an
   * apply the emulator cannot perform (an API it lacks); the next synth writes the stack afresh.
   */
  ignoreChangesInSynthesizedStack(environment: string, address: string, attributes: readonly string[]): void {
    const file = join(this.stackDir(environment), "cdk.tf.json");
    const stack = JSON.parse(readFileSync(file, "utf8")) as {
      resource: Record<string, Record<string, { lifecycle?: Record<string, unknown> }>>;
    };
    const [type, name] = address.split(".");
    const resource = stack.resource[type]?.[name];
    if (!resource) throw new Error(`no ${address} in the ${environment} stack`);
    resource.lifecycle = { ...resource.lifecycle, ignore_changes: [...attributes] };
    writeFileSync(file, JSON.stringify(stack, null, 2));
  }

  /** `terraform init` of one environment's stack (provider from the offline mirror when there is one). */
  init(environment: string): void {
    this.tf(environment, ["init", "-input=false", "-no-color"]);
  }

  /** `terraform plan -out` (refreshing, as CI does) and `terraform show -json` of the saved plan. */
  plan(environment: string): Plan {
    this.tf(environment, ["plan", "-input=false", "-no-color", "-out=tfplan"]);
    const shown = JSON.parse(this.tf(environment, ["show", "-json", "-no-color", "tfplan"]).stdout) as {
      resource_changes?: ResourceChange[];
    };
    return new Plan(shown.resource_changes ?? []);
  }

  /** Applies the plan saved by the last {@link plan}: exactly what was asserted on, nothing else. */
  applySavedPlan(environment: string): void {
    if (!existsSync(join(this.stackDir(environment), "tfplan"))) throw new Error(`no saved plan for ${environment}`);
    this.tf(environment, ["apply", "-input=false", "-no-color", "-auto-approve", "tfplan"]);
    // Applied plans are stale; the next apply must come from a new plan.
    rmSync(join(this.stackDir(environment), "tfplan"));
  }

  /**
   * First deployment of an initialised environment: `terraform apply`, without blocking, so that two
   * environments can deploy at once. (Run {@link init} one environment at a time: Terraform's plugin
   * cache is not safe for concurrent installs.)
   */
  async deploy(environment: string): Promise<void> {
    await this.tfAsync(environment, ["apply", "-input=false", "-no-color", "-auto-approve"]);
  }

  /**
   * First deployment of an environment to moto, as the suites need it: {@link deploy}, then the
   * authorizer once more, because moto's CreateAuthorizer drops `identityValidationExpression` (its
   * update keeps it). A plan after this shows whether anything else drifts.
   */
  async deployFromScratch(environment: string): Promise<void> {
    await this.deploy(environment);
    await this.reapply(environment, "aws_api_gateway_authorizer.access-token");
  }

  /**
   * Applies one resource (and what it depends on) again from the current config: for a value the
   * emulator drops when it creates the resource and keeps when it updates it.
   */
  async reapply(environment: string, address: string): Promise<void> {
    await this.tfAsync(environment, ["apply", "-input=false", "-no-color", "-auto-approve", `-target=${address}`]);
  }

  /** Deletes the saved plan of the last {@link plan} without applying it. */
  discardSavedPlan(environment: string): void {
    rmSync(join(this.stackDir(environment), "tfplan"), { force: true });
  }

  /** `terraform plan` that is expected to fail; returns its output (stderr, then stdout). */
  failingPlan(environment: string): string {
    const result = runTerraform(this.stackDir(environment), ["plan", "-input=false", "-no-color"], this.awsEnv, {
      timeoutMs: TERRAFORM_TIMEOUT_MS,
    });
    if (result.status === 0)
      throw new Error(`terraform plan of ${environment} succeeded; it was expected to fail:\n${result.stdout}`);
    return `${result.stderr}\n${result.stdout}`;
  }

  private async tfAsync(environment: string, args: readonly string[]): Promise<string> {
    const started = Date.now();
    const stdout = await terraformAsync(this.stackDir(environment), args, this.awsEnv, {
      timeoutMs: TERRAFORM_TIMEOUT_MS,
    });
    this.timings.push({ step: `${environment}: ${args[0]}`, seconds: (Date.now() - started) / 1000 });
    return stdout;
  }

  private tf(environment: string, args: readonly string[]) {
    const started = Date.now();
    const result = terraform(this.stackDir(environment), args, this.awsEnv, { timeoutMs: TERRAFORM_TIMEOUT_MS });
    this.timings.push({ step: `${environment}: ${args[0]}`, seconds: (Date.now() - started) / 1000 });
    return result;
  }
}
