/**
 * Lambda entry of the hand-rolled comparator, built like the shipped one: configuration from the
 * environment at module scope. Bundled by the benchmark only, never deployed.
 */
import { createHandRolledAuthorizer, type HandRolledRoute } from "./authorizer";

const options = {
  userPoolId: process.env.USER_POOL_ID ?? "",
  routes: JSON.parse(process.env.ROUTE_TABLE ?? "[]") as HandRolledRoute[],
};
const authorizer = createHandRolledAuthorizer(options);
const withKeyConvertedOnce = createHandRolledAuthorizer({ ...options, convertKeyOnce: true });

export const handler = authorizer.handler;
/** The same code with each JWK converted to a key once. */
export const handlerWithKeyConvertedOnce = withKeyConvertedOnce.handler;
export const cacheJwks: typeof authorizer.cacheJwks = (jwks) => {
  authorizer.cacheJwks(jwks);
  withKeyConvertedOnce.cacheJwks(jwks);
};
