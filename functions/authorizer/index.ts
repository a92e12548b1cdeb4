/**
 * Lambda entry point of the TOKEN authorizer. Everything is built at module scope, once per cold start:
 * the route table is parsed and checked, the verifier created, and the pool's JWKS fetched; the bundle
 * awaits that fetch during Lambda's init (`initialized`, see stacks/function-bundle.ts), so the first
 * request finds the keys in memory. A failed fetch does not fail the init: it is logged and the first
 * request fetches again. A missing or invalid environment fails the cold start, so a misconfigured
 * function answers every request with a 500 and never lets one through.
 */
import { createAuthorizer } from "./authorizer";
import { ROUTE_TABLE_ENV, USER_POOL_ID_ENV } from "../../model/route-table";
import { parseRouteTable } from "./route-table";

const authorizer = createAuthorizer({
  userPoolId: process.env[USER_POOL_ID_ENV],
  routes: parseRouteTable(process.env[ROUTE_TABLE_ENV]),
});

export const handler = authorizer.handler;

/** The module's verifier, so a test or a warm-up can preload keys with the library's `cacheJwks`. */
export const verifier = authorizer.verifier;

/** The JWKS prefetch, awaited by the bundle's entry during init; it never rejects. */
export const initialized: Promise<void> = authorizer.prefetchJwks();
