/**
 * The route table: which scopes each route of a stage demands, as the stack writes it into the
 * authorizer's `ROUTE_TABLE` environment variable and as the authorizer, the validator, the change
 * summary and the access matrix read it. Its size grows with routes, never with clients.
 */
import { HTTP_METHODS, isHttpMethod, matchShape, parseRoutePath, routeKey, type PathSegment } from "./routes";

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

// Scopes are space separated in the token's `scope` claim, so a scope can never contain a space.
const SCOPE = /^[\x21-\x7e]+$/;

/** A route ready for matching and policy building. */
export interface ParsedRoute extends RouteRule {
  /** `"GET /orders/{orderId}"`, for logs. */
  readonly key: string;
  readonly segments: readonly PathSegment[];
  /** True when no segment is a `{param}`: the route's ARN is exact and matches one path only. */
  readonly literal: boolean;
}

/** Checks one route and splits its path, or says what is wrong with it. Never throws. */
export function parseRouteRule(rule: RouteRule): { readonly route: ParsedRoute } | { readonly problem: string } {
  const { method, path, scopes } = rule;
  if (!isHttpMethod(method)) {
    return { problem: `route method must be one of ${HTTP_METHODS.join(", ")}; received ${JSON.stringify(method)}` };
  }
  const parsed = parseRoutePath(path);
  if ("problem" in parsed) return { problem: `route path ${parsed.problem}; received ${JSON.stringify(path)}` };
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== "string" || !SCOPE.test(s))) {
    return {
      problem: `route scopes must be a list of scope names without spaces; received ${JSON.stringify(scopes)} for ${routeKey(method, path)}`,
    };
  }
  return {
    route: {
      method,
      path,
      scopes: [...new Set(scopes)].sort(),
      key: routeKey(method, path),
      segments: parsed.segments,
      literal: parsed.segments.every((s) => s.kind === "literal"),
    },
  };
}

/** The shape of a route with parameter names erased: two routes with the same shape are one route. */
export function routeShape(route: ParsedRoute): string {
  return `${route.method} ${matchShape(route.segments)}`;
}

/**
 * Finds the route API Gateway dispatches a request to: `{param}` matches one segment, and at the first
 * segment where candidates differ a literal wins over a `{param}` (API Gateway prefers the explicit
 * resource). Returns undefined when no route matches.
 */
export function matchRoute(routes: readonly ParsedRoute[], method: string, path: string): ParsedRoute | undefined {
  const start = path.startsWith("/") ? 1 : 0;
  let best: ParsedRoute | undefined;
  for (const route of routes) {
    if (route.method !== method || !segmentsMatch(route.segments, path, start)) continue;
    if (!best || moreSpecific(route, best)) best = route;
  }
  return best;
}

/**
 * Whether `path`, from `start` on, is exactly these segments. It reads the path in place: the authorizer
 * matches on every request, and splitting the path into an array each time measured slower.
 */
function segmentsMatch(segments: readonly PathSegment[], path: string, start: number): boolean {
  if (segments.length === 0) return start === path.length;
  let from = start;
  for (const segment of segments) {
    // Once the path has ended, `from` is past it: `end` falls before `from` and no segment matches.
    const slash = path.indexOf("/", from);
    const end = slash < 0 ? path.length : slash;
    const matches =
      segment.kind === "literal"
        ? end - from === segment.text.length && path.startsWith(segment.text, from)
        : end > from;
    if (!matches) return false;
    from = end + 1;
  }
  // Past the last segment's end, exactly: no further segment, and no trailing "/".
  return from === path.length + 1;
}

function moreSpecific(a: ParsedRoute, b: ParsedRoute): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    const aLiteral = a.segments[i].kind === "literal";
    const bLiteral = b.segments[i].kind === "literal";
    if (aLiteral !== bLiteral) return aLiteral;
  }
  return false;
}
