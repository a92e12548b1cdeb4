/**
 * The authorizer's reading of its `ROUTE_TABLE` (the shared route table of `model/route-table.ts`):
 * anything unexpected stops the cold start, because an authorizer with a half-understood route table
 * must not start.
 */
// The library's own test, already in the bundle: an object, not null and not an array.
import { isJsonObject, type Json } from "aws-jwt-verify/safe-json-parse";
import { ROUTE_TABLE_ENV, parseRouteRule, routeShape, type ParsedRoute, type RouteRule } from "../../model/route-table";

/** The `ROUTE_TABLE` value is not a valid route table; the authorizer refuses to start. */
export class RouteTableError extends Error {
  override readonly name = "RouteTableError";
}

/** One route, or a {@link RouteTableError} saying what is wrong with it. */
export function parseRoute(rule: RouteRule): ParsedRoute {
  const parsed = parseRouteRule(rule);
  if ("problem" in parsed) throw new RouteTableError(parsed.problem);
  return parsed.route;
}

/**
 * Parses and checks the `ROUTE_TABLE` JSON (as `serializeRouteTable` writes it). Throws
 * {@link RouteTableError} on anything unexpected.
 */
export function parseRouteTable(json: string | undefined): ParsedRoute[] {
  let raw: Json | undefined;
  try {
    raw = JSON.parse(json ?? "") as Json;
  } catch {
    // Not set, or not JSON: refused below with the one message that says what is expected.
  }
  if (!Array.isArray(raw)) throw new RouteTableError(`${ROUTE_TABLE_ENV} must be set to a JSON array of routes`);
  const routes = raw.map((r) => {
    if (!isJsonObject(r)) {
      throw new RouteTableError(`each route must be an object {method, path, scopes}; received ${JSON.stringify(r)}`);
    }
    return parseRoute(r as unknown as RouteRule);
  });
  const seen = new Map<string, string>();
  for (const route of routes) {
    const shape = routeShape(route);
    const other = seen.get(shape);
    if (other) throw new RouteTableError(`routes ${other} and ${route.key} match the same requests`);
    seen.set(shape, route.key);
  }
  return routes;
}
