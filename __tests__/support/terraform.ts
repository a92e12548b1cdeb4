/**
 * Runs the Terraform CLI for tests and benchmarks without touching the user's own CLI config: a CLI
 * config written to a temp folder installs the AWS provider from the machine's offline filesystem
 * mirror when there is one, and from the registry otherwise (a laptop with internet).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { onProcessEnd } from "./process-end";

/** Folders that may hold `registry.terraform.io/hashicorp/aws` as an unpacked provider mirror. */
const MIRROR_CANDIDATES = [
  process.env.M2M_TF_PROVIDER_MIRROR,
  "/opt/tf-plugins",
  join(homedir(), ".terraform.d", "plugins"),
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
].filter((p): p is string => Boolean(p));

/** The first folder holding an AWS provider mirror, if any. */
export function findProviderMirror(): string | undefined {
  return MIRROR_CANDIDATES.find((dir) => existsSync(join(dir, "registry.terraform.io", "hashicorp", "aws")));
}

/** Fails with one line saying what to install when the Terraform CLI is missing. */
export function requireTerraform(): void {
  const probe = spawnSync("terraform", ["version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "Terraform CLI not found on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install)",
    );
  }
}

let cachedEnv: NodeJS.ProcessEnv | undefined;

/**
 * Environment for running `terraform`: its own CLI config (provider mirror or registry) and a shared
 * plugin cache, so the provider is unpacked once per run rather than once per stack.
 */
export function terraformEnv(): NodeJS.ProcessEnv {
  if (cachedEnv) return cachedEnv;
  const dir = mkdtempSync(join(tmpdir(), "m2m-tf-cli-"));
  const cacheDir = join(tmpdir(), "m2m-tf-plugin-cache");
  mkdirSync(cacheDir, { recursive: true });
  const mirror = findProviderMirror();
  const installation = mirror
    ? `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`
    : `provider_installation {
  direct {}
}
`;
  const configFile = join(dir, "terraformrc");
  writeFileSync(configFile, `plugin_cache_dir = ${JSON.stringify(cacheDir)}\n${installation}`);
  cachedEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: configFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
  return cachedEnv;
}

/** Options of {@link terraform} and {@link runTerraform}. */
export interface TerraformRunOptions {
  /**
   * Kill Terraform after this long. A synchronous run blocks jest's own timeouts, so a hung
   * Terraform (waiting on an endpoint that never answers) would otherwise hang the suite.
   * @default - no limit
   */
  readonly timeoutMs?: number;
}

/** Runs `terraform <args>` in a folder and returns its result whatever the exit code. */
export function runTerraform(
  cwd: string,
  args: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
  options: TerraformRunOptions = {},
): SpawnSyncReturns<string> {
  const result = spawnSync("terraform", args, {
    cwd,
    env: { ...terraformEnv(), ...extraEnv },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  if (result.error) {
    const timedOut = (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    if (timedOut) {
      throw new Error(
        `terraform ${args.join(" ")} timed out after ${options.timeoutMs} ms in ${cwd}:\n${result.stderr ?? ""}\n${result.stdout ?? ""}`.trim(),
      );
    }
    throw result.error;
  }
  return result;
}

/** Runs `terraform <args>` in a folder; throws with Terraform's own output when it fails. */
export function terraform(
  cwd: string,
  args: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
  options: TerraformRunOptions = {},
): SpawnSyncReturns<string> {
  const result = runTerraform(cwd, args, extraEnv, options);
  if (result.status !== 0) {
    throw new Error(
      `terraform ${args.join(" ")} failed in ${cwd} (exit ${result.status}):\n${result.stderr}\n${result.stdout}`.trim(),
    );
  }
  return result;
}

const runningAsync = new Set<ChildProcess>();
let stopOnProcessEnd: (() => void) | undefined;

/** A Terraform left running when the test process ends would keep retrying a stopped emulator. */
function stopAsyncRunsOnProcessEnd(): void {
  stopOnProcessEnd ??= onProcessEnd(() => {
    for (const child of runningAsync) child.kill("SIGTERM");
  });
}

/**
 * `terraform <args>` without blocking the event loop, so that several stacks can run at once; resolves
 * with stdout, rejects with Terraform's own output when it fails or outlives `timeoutMs`.
 */
export function terraformAsync(
  cwd: string,
  args: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
  options: TerraformRunOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    stopAsyncRunsOnProcessEnd();
    const child = spawn("terraform", args, {
      cwd,
      env: { ...terraformEnv(), ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    runningAsync.add(child);
    child.once("exit", () => runningAsync.delete(child));
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGTERM"), options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(stdout);
      const why = signal
        ? `killed by ${signal}${options.timeoutMs === undefined ? "" : ` (timeout ${options.timeoutMs} ms)`}`
        : `exit ${code}`;
      reject(new Error(`terraform ${args.join(" ")} failed in ${cwd} (${why}):\n${stderr}\n${stdout}`.trim()));
    });
  });
}
