/**
 * Which routes each client of an environment may call, computed by `RouteAccess`
 * (`model/route-access.ts`), the very code the authorizer builds its policies with. The change summary
 * and `npm run access` both ask it, so what a reviewer is told is what the API will do.
 */
import { clientsInEnvironment, type Registry } from "../../config/schema";
import { RouteAccess } from "../../model/route-access";
import { parseRouteRule, type ParsedRoute } from "../../model/route-table";

/** What one client may call. */
export interface ClientAccess {
  /** Route keys (`GET /orders/{orderId}`) the client's scopes open, in route-table order. */
  readonly routes: readonly string[];
  /**
   * Of those, the routes a Deny the policy needs for another route also covers for some request paths
   * (the validator warns about such tables): the client may call them, but not every path.
   */
  readonly limited: readonly string[];
}

/** The routes of a validated registry, parsed as the authorizer parses them. */
export function parsedRoutes(registry: Registry): ParsedRoute[] {
  return registry.routes.flatMap((route) => {
    const parsed = parseRouteRule(route);
    return "route" in parsed ? [parsed.route] : [];
  });
}

/** Each client of `environment`, by key in registry order, with what it may call there. */
export function clientAccess(registry: Registry, environment: string): Map<string, ClientAccess> {
  const access = new RouteAccess(parsedRoutes(registry));
  return new Map(
    clientsInEnvironment(registry, environment).map((client) => {
      const plan = access.plan(new Set(client.scopes));
      return [client.key, { routes: plan.allowed.map((r) => r.key), limited: plan.conflicts.map((r) => r.key) }];
    }),
  );
}
