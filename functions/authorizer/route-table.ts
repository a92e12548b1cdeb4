/**
 * The authorizer's route table: which scopes each route of the stage demands. The stack serialises it
 * into the function's `ROUTE_TABLE` environment variable at synth; its size grows with routes, never
 * with clients.
 */

/** One route as the authorizer sees it. */
export interface RouteRule {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Resource path as configured, with `{param}` segments, such as `/orders/{orderId}`. */
  readonly path: string;
  /** Scopes a token must hold, all of them. */
  readonly scopes: readonly string[];
}

/** Name of the environment variable that carries the route table. */
export const ROUTE_TABLE_ENV = "ROUTE_TABLE";

/** Name of the environment variable that carries the Cognito user pool id. */
export const USER_POOL_ID_ENV = "USER_POOL_ID";

/** Serialises routes for the `ROUTE_TABLE` environment variable (compact JSON, stable order). */
export function serializeRouteTable(routes: readonly RouteRule[]): string {
  const rules = routes
    .map((r) => ({ method: r.method, path: r.path, scopes: [...r.scopes].sort() }))
    .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
  return JSON.stringify(rules);
}

/** HTTP methods the authorizer accepts in a route table (API Gateway's `ANY` is not used by the API). */
const METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

// A literal segment may hold any RFC 3986 path character except `*` and `?`: those are IAM wildcards in
// an execute-api ARN, and a route literal containing one would widen the policy the authorizer writes.
const LITERAL_SEGMENT = /^[A-Za-z0-9._~!$&'()+,;=:@%-]+$/;
const PARAM_SEGMENT = /^\{[A-Za-z_][A-Za-z0-9_]*\}$/;
// Scopes are space separated in the token's `scope` claim, so a scope can never contain a space.
const SCOPE = /^[\x21-\x7e]+$/;

/** One path segment of a parsed route: a literal, or a `{param}` that matches exactly one segment. */
export type RouteSegment = { readonly literal: string } | { readonly param: string };

/** A validated route, ready for matching and policy building. */
export interface ParsedRoute extends RouteRule {
  /** `"GET /orders/{orderId}"`, for logs. */
  readonly key: string;
  readonly segments: readonly RouteSegment[];
  /** True when no segment is a `{param}`: the route's ARN is exact and matches one path only. */
  readonly literal: boolean;
}

/** The `ROUTE_TABLE` value is not a valid route table; the authorizer refuses to start. */
export class RouteTableError extends Error {
  override readonly name = "RouteTableError";
}

function splitPath(path: string): string[] {
  return path === "/" ? [] : path.slice(1).split("/");
}

/** Validates one route and splits its path into segments. */
export function parseRoute(rule: RouteRule): ParsedRoute {
  const { method, path, scopes } = rule;
  if (typeof method !== "string" || !METHODS.has(method)) {
    throw new RouteTableError(
      `route method must be one of ${[...METHODS].join(", ")}; received ${JSON.stringify(method)}`,
    );
  }
  if (typeof path !== "string" || !path.startsWith("/") || (path !== "/" && path.endsWith("/"))) {
    throw new RouteTableError(`route path must start with "/" and not end with one; received ${JSON.stringify(path)}`);
  }
  const segments = splitPath(path).map((segment): RouteSegment => {
    if (PARAM_SEGMENT.test(segment)) return { param: segment.slice(1, -1) };
    if (LITERAL_SEGMENT.test(segment)) return { literal: segment };
    throw new RouteTableError(
      `route path segments must be literals without "*" or "?", or a whole "{param}"; received ${JSON.stringify(segment)} in ${JSON.stringify(path)}`,
    );
  });
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== "string" || !SCOPE.test(s))) {
    throw new RouteTableError(
      `route scopes must be a list of scope names without spaces; received ${JSON.stringify(scopes)} for ${method} ${path}`,
    );
  }
  return {
    method,
    path,
    scopes: [...new Set(scopes)].sort(),
    key: `${method} ${path}`,
    segments,
    literal: segments.every((s) => "literal" in s),
  };
}

/** The shape of a path with parameter names erased: two routes with the same shape are the same route. */
function shapeOf(route: ParsedRoute): string {
  return `${route.method} /${route.segments.map((s) => ("literal" in s ? s.literal : "{}")).join("/")}`;
}

/**
 * Parses and validates the `ROUTE_TABLE` JSON (as written by {@link serializeRouteTable}). Throws
 * {@link RouteTableError} on anything unexpected: an authorizer with a half-understood route table
 * must not start.
 */
export function parseRouteTable(json: string | undefined): ParsedRoute[] {
  if (typeof json !== "string" || json.length === 0) {
    throw new RouteTableError(`${ROUTE_TABLE_ENV} must be set to the JSON route table`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new RouteTableError(`${ROUTE_TABLE_ENV} is not valid JSON`);
  }
  if (!Array.isArray(raw)) throw new RouteTableError(`${ROUTE_TABLE_ENV} must be a JSON array of routes`);
  const routes = raw.map((r: unknown) => {
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      throw new RouteTableError(`each route must be an object {method, path, scopes}; received ${JSON.stringify(r)}`);
    }
    return parseRoute(r as RouteRule);
  });
  const seen = new Map<string, string>();
  for (const route of routes) {
    const shape = shapeOf(route);
    const other = seen.get(shape);
    if (other) throw new RouteTableError(`routes ${other} and ${route.key} match the same requests`);
    seen.set(shape, route.key);
  }
  return routes;
}

/**
 * Finds the route API Gateway dispatches a request to: `{param}` matches one segment, and at the first
 * segment where candidates differ a literal wins over a `{param}` (API Gateway prefers the explicit
 * resource). Returns undefined when no route matches.
 */
export function matchRoute(routes: readonly ParsedRoute[], method: string, path: string): ParsedRoute | undefined {
  const parts = splitPath(path.startsWith("/") ? path : `/${path}`);
  let best: ParsedRoute | undefined;
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const matches = route.segments.every((s, i) => ("literal" in s ? s.literal === parts[i] : parts[i].length > 0));
    if (matches && (!best || moreSpecific(route, best))) best = route;
  }
  return best;
}

function moreSpecific(a: ParsedRoute, b: ParsedRoute): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    const aLiteral = "literal" in a.segments[i];
    const bLiteral = "literal" in b.segments[i];
    if (aLiteral !== bLiteral) return aLiteral;
  }
  return false;
}
