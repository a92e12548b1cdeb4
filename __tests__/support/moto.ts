/**
 * A local AWS emulator for tests: `moto_server` on 127.0.0.1 on a free port, stopped by whoever
 * started it, and by a watchdog when the test process dies without cleaning up (a killed jest worker,
 * a CI timeout).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { onProcessEnd } from "./process-end";

/** What to install when `moto_server` is missing, in one line. */
export const MOTO_INSTALL_HINT = "moto_server not found on PATH: install it with pip install 'moto[server]>=5'";

/** moto's fixed account id. */
export const MOTO_ACCOUNT_ID = "123456789012";

/** Fails with one line saying what to install when `moto_server` is missing or does not start. */
export function requireMotoServer(): void {
  const probe = spawnSync("moto_server", ["--help"], { encoding: "utf8", timeout: 30_000 });
  if (probe.error || probe.status !== 0) throw new Error(MOTO_INSTALL_HINT);
}

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: what `AWS_ENDPOINT_URL` and the SDK clients point at. */
  readonly endpoint: string;
  readonly port: number;
  /** Server output (request log, tracebacks), for failure messages. */
  readonly logFile: string;
  /** The last lines of the server output. */
  logTail(lines?: number): string;
  /** Stops the server and its watchdog; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startMoto}. */
export interface StartMotoOptions {
  /** Folder for the server's log file. */
  readonly logDir: string;
  /**
   * Environment of the server, on top of this process's (moto settings such as
   * `MOTO_IAM_LOAD_MANAGED_POLICIES`).
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * How long to wait for the server to answer.
   * @default 30_000
   */
  readonly readyTimeoutMs?: number;
}

/**
 * moto for the synthesized stacks: the API Gateway logging role attaches the AWS managed policy
 * AmazonAPIGatewayPushToCloudWatchLogs, which exists in every real account and in moto only when
 * `MOTO_IAM_LOAD_MANAGED_POLICIES` asks for it.
 */
export function startMotoForStacks(logDir: string): Promise<MotoServer> {
  return startMoto({ logDir, env: { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

// The shell runs moto in the background and kills it as soon as the test process is gone: signal
// handlers cannot do that inside jest (its sandboxed `process` never sees the real signals) nor after a
// SIGKILL. The shell's parent is the test process; once that ends the shell is re-parented, which also
// catches a dead parent nobody has reaped yet (a zombie still answers `kill -0`). `stop()` signals the
// whole process group (shell and moto).
const WATCHDOG = `
parent_alive() {
  if command -v ps >/dev/null 2>&1; then
    [ "$(ps -o ppid= -p $$ | tr -d ' ')" = "$M2M_TEST_PID" ]
  else
    kill -0 "$M2M_TEST_PID" 2>/dev/null
  fi
}
moto_server -H 127.0.0.1 -p "$MOTO_PORT" &
moto=$!
trap 'kill "$moto" 2>/dev/null; exit 0' TERM INT HUP
while parent_alive && kill -0 "$moto" 2>/dev/null; do sleep 1; done
kill "$moto" 2>/dev/null
wait "$moto"
`;

const running = new Set<ChildProcess>();
let stopOnProcessEnd: (() => void) | undefined;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** One GET without keep-alive (a pooled socket would keep jest from exiting): true on a 200. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (await answers(`${endpoint}/moto-api/`)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts `moto_server` on 127.0.0.1 on a free port and waits until it answers. Retries on another
 * port when the chosen one was taken in between.
 */
export async function startMoto(options: StartMotoOptions): Promise<MotoServer> {
  stopOnProcessEnd ??= onProcessEnd(() => {
    for (const child of running) killGroup(child, "SIGKILL");
  });
  let lastFailure = "";
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const logFile = join(options.logDir, `moto-${port}.log`);
    const log = openSync(logFile, "a");
    const child = spawn("sh", ["-c", WATCHDOG], {
      env: { ...process.env, ...options.env, MOTO_PORT: String(port), M2M_TEST_PID: String(process.pid) },
      stdio: ["ignore", log, log],
      detached: true,
    });
    closeSync(log);
    running.add(child);
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
    });
    child.once("exit", () => running.delete(child));

    const logTail = (lines = 40) =>
      existsSync(logFile) ? readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "";
    const stop = async () => {
      killGroup(child, "SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const killed = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5_000))),
      ]);
      clearTimeout(timer);
      if (!killed) {
        killGroup(child, "SIGKILL");
        await exited;
      }
      running.delete(child);
    };

    if (await waitUntilReady(endpoint, child, options.readyTimeoutMs ?? 30_000)) {
      return { endpoint, port, logFile, logTail, stop };
    }
    lastFailure = logTail(20);
    await stop();
  }
  throw new Error(`moto_server did not start on 127.0.0.1 (3 attempts); its last output:\n${lastFailure}`);
}
