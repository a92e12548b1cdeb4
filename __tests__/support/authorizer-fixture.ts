/**
 * Shared pieces of the authorizer tests: a route table shaped like the registry's plus a nested
 * `{param}` route, events, outcome capture and a spy on the log lines.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
// The module object itself (not a namespace copy), so that the spy replaces what the authorizer calls.
import fs from "node:fs";
import type { RouteRule } from "../../model/route-table";

export const STAGE_PREFIX = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1";

/** The registry's routes, plus `GET /orders/{orderId}/secrets`: an Allow for `GET /orders/*` reaches it. */
export const ROUTES: readonly RouteRule[] = [
  { method: "GET", path: "/whoami", scopes: [] },
  { method: "GET", path: "/orders", scopes: ["orders/read"] },
  { method: "POST", path: "/orders", scopes: ["orders/write"] },
  { method: "GET", path: "/orders/{orderId}", scopes: ["orders/read"] },
  { method: "DELETE", path: "/orders/{orderId}", scopes: ["orders/write"] },
  { method: "GET", path: "/orders/{orderId}/secrets", scopes: ["orders/admin"] },
  { method: "GET", path: "/inventory/items/{sku}", scopes: ["inventory/read"] },
  { method: "POST", path: "/inventory/items/{sku}/reservations", scopes: ["inventory/read", "inventory/reserve"] },
];

export function arn(method: string, path: string): string {
  return `${STAGE_PREFIX}/${method}/${path.replace(/^\//, "")}`;
}

export function tokenEvent(
  authorizationToken: unknown,
  method = "GET",
  path = "/orders",
): APIGatewayTokenAuthorizerEvent {
  return { type: "TOKEN", authorizationToken: authorizationToken as string, methodArn: arn(method, path) };
}

/**
 * The exact answer the authorizer gives a verified token of `clientId` holding `scopes`: the client
 * as principal and usage key, and a policy of one Allow and one Deny statement at most, their
 * resources written under the stage (`"GET/orders/*"`).
 */
export function clientAnswer(
  clientId: string,
  scopes: string,
  resources: { readonly allow?: readonly string[]; readonly deny?: readonly string[] },
): APIGatewayAuthorizerResult {
  const statement = (Effect: "Allow" | "Deny", under: readonly string[] = []) =>
    under.length === 0
      ? []
      : [{ Action: "execute-api:Invoke", Effect, Resource: under.map((resource) => `${STAGE_PREFIX}/${resource}`) }];
  return {
    principalId: clientId,
    usageIdentifierKey: clientId,
    policyDocument: {
      Version: "2012-10-17",
      Statement: [...statement("Allow", resources.allow), ...statement("Deny", resources.deny)],
    },
    context: { clientId, scopes },
  };
}

/** What API Gateway makes of the handler's answer. */
export type Outcome =
  | { readonly status: 401 }
  | { readonly status: 500; readonly error: string }
  | { readonly status: "policy"; readonly result: APIGatewayAuthorizerResult };

export async function outcomeOf(run: Promise<APIGatewayAuthorizerResult>): Promise<Outcome> {
  try {
    return { status: "policy", result: await run };
  } catch (err) {
    // API Gateway answers 401 only for an error whose message is exactly "Unauthorized"; the test also
    // insists on a plain Error so nothing else rides along.
    if (err instanceof Error && err.message === "Unauthorized" && Object.getPrototypeOf(err) === Error.prototype) {
      return { status: 401 };
    }
    return { status: 500, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

/**
 * Captures the authorizer's log lines while a test runs: what its default sink (`stdoutLog`) writes to
 * stdout, a whole line and its line break per write, and what reaches `console.log`, its fallback.
 * Writes to other descriptors go through. A write that is not exactly one line is kept as written, so a
 * test that parses it fails.
 */
export function captureLogs(): {
  readonly lines: string[];
  /** How many of `lines` went through `console.log` and not straight to stdout. */
  readonly viaConsole: () => number;
  records(): Record<string, unknown>[];
  restore(): void;
} {
  const lines: string[] = [];
  let viaConsole = 0;
  const writeSync = fs.writeSync.bind(fs);
  const stdout = jest.spyOn(fs, "writeSync").mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1 || typeof data !== "string") return (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    lines.push(/^[^\n]*\n$/.test(data) ? data.slice(0, -1) : data);
    return Buffer.byteLength(data);
  }) as typeof fs.writeSync);
  const consoleLog = jest.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    viaConsole++;
    lines.push(args.map(String).join(" "));
  });
  return {
    lines,
    viaConsole: () => viaConsole,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => {
      stdout.mockRestore();
      consoleLog.mockRestore();
    },
  };
}

/** The resources of the policy's statements with the given effect, stage prefix removed. */
export function resourcesOf(result: APIGatewayAuthorizerResult, effect: "Allow" | "Deny"): string[] {
  return result.policyDocument.Statement.filter((s) => s.Effect === effect).flatMap((s) => {
    const r = (s as { Resource: string | string[] }).Resource;
    return (Array.isArray(r) ? r : [r]).map((x) => x.slice(STAGE_PREFIX.length + 1));
  });
}
