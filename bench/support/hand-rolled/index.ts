/**
 * Lambda entry of the hand-rolled comparator, built like the shipped one: configuration from the
 * environment at module scope. Bundled by the benchmark only, never deployed.
 */
import { createHandRolledAuthorizer, type HandRolledRoute } from "./authorizer";

const authorizer = createHandRolledAuthorizer({
  userPoolId: process.env.USER_POOL_ID ?? "",
  routes: JSON.parse(process.env.ROUTE_TABLE ?? "[]") as HandRolledRoute[],
});

export const handler = authorizer.handler;
export const cacheJwks = authorizer.cacheJwks;
