/**
 * Starts `oauth2-token-server.mjs` (oauth2-mock-server behaving like Cognito's token endpoint) as a
 * child process on 127.0.0.1 and talks to its test-only control routes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** A client the server accepts. */
export interface TokenServerClient {
  readonly secret: string;
  readonly scopes: readonly string[];
}

/** A running token server. */
export interface TokenServer {
  /** `http://127.0.0.1:<port>/oauth2/token` */
  readonly tokenUrl: string;
  /** Token requests answered since the last reset. */
  tokenRequests(): Promise<number>;
  /** The next `count` token requests get `status`. */
  failNext(count: number, status?: number): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

/** Starts the server with the given clients and token lifetime. */
export async function startTokenServer(
  clients: Record<string, TokenServerClient>,
  expiresIn: number,
): Promise<TokenServer> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, "oauth2-token-server.mjs")], {
    env: { ...process.env, M2M_TOKEN_SERVER_CONFIG: JSON.stringify({ clients, expiresIn }) },
    // stdin is a pipe the server watches: when this process dies, the server exits.
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += String(chunk)));
  const base = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => reject(new Error(`token server not ready after ${READY_TIMEOUT_MS} ms:\n${stderr}`)),
      READY_TIMEOUT_MS,
    );
    child.stdout!.on("data", (chunk) => {
      stdout += String(chunk);
      const match = /READY (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`token server exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  const control = async (method: string, path: string, body?: object) => {
    const response = await fetch(`${base}/__control/${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status}`);
    return (await response.json()) as Record<string, number>;
  };
  return {
    tokenUrl: `${base}/oauth2/token`,
    tokenRequests: async () => (await control("GET", "stats")).tokenRequests,
    failNext: async (count, status = 503) => void (await control("POST", "fail", { count, status })),
    reset: async () => void (await control("POST", "reset")),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
