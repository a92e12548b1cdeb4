/**
 * A real HTTP server on 127.0.0.1 that serves a pool's JWKS at the path Cognito uses
 * (`/<poolId>/.well-known/jwks.json`), and a `Fetcher` for aws-jwt-verify's `SimpleJwksCache` that sends
 * the library's request there. The library computes the Cognito URL, parses and caches the answer and
 * applies its penalty box exactly as in production; only the transport (HTTP to localhost instead of
 * HTTPS to cognito-idp) differs.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Fetcher } from "aws-jwt-verify/https";
import { FetchError, NonRetryableFetchError } from "aws-jwt-verify/error";
import type { Jwks } from "aws-jwt-verify/jwk";

export interface JwksServer {
  readonly port: number;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** Serve another JWKS (key rotation). */
  setJwks(jwks: Jwks): void;
  /** Answer every request with this status (e.g. 503) or a body that is not JSON; `null` restores. */
  failWith(mode: number | "garbage" | null): void;
  close(): Promise<void>;
}

export async function startJwksServer(poolId: string, initial: Jwks): Promise<JwksServer> {
  let jwks = initial;
  let failure: number | "garbage" | null = null;
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? "");
    if (failure === "garbage")
      return void res.writeHead(200, { "content-type": "application/json" }).end("<html>oops</html>");
    if (typeof failure === "number") return void res.writeHead(failure).end();
    if (req.method !== "GET" || req.url !== `/${poolId}/.well-known/jwks.json`) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    setJwks: (next) => void (jwks = next),
    failWith: (mode) => void (failure = mode),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * Sends the library's JWKS request to the local server: same path, `http://127.0.0.1:<port>` instead of
 * the Cognito host. Records the URIs the library asked for. Errors mirror the library's own fetcher:
 * a non-200 status is a `NonRetryableFetchError`, a network error a `FetchError`.
 */
export class LocalJwksFetcher implements Fetcher {
  readonly uris: string[] = [];
  constructor(private readonly port: number) {}

  fetch(uri: string): Promise<ArrayBuffer> {
    this.uris.push(uri);
    const { pathname } = new URL(uri);
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: this.port, path: pathname, method: "GET", timeout: 2_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            if (res.statusCode !== 200)
              return reject(new NonRetryableFetchError(uri, `Status code is ${res.statusCode}, expected 200`));
            const buf = Buffer.concat(chunks);
            resolve(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (err) => reject(new FetchError(uri, err.message)));
      req.end();
    });
  }
}
