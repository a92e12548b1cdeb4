/**
 * Lambda entry point of the TOKEN authorizer. Everything is built at module scope, once per cold start:
 * the route table is parsed and checked, the verifier created, its JWKS cache empty until the first
 * token needs a key. A missing or invalid environment fails the cold start, so a misconfigured function
 * answers every request with a 500 and never lets one through.
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
