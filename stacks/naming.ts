/**
 * Terraform addresses and AWS names, all derived from config keys. Resource addresses are a public
 * API: a changed address means Terraform destroys and recreates the resource, which for an app
 * client is a new client id and secret for a partner. `__tests__/addresses.test.ts` pins them.
 */

/**
 * The Terraform resource name of a route's path (`/orders/{orderId}` → `orders__orderId_`),
 * unique per path because `/` and `{…}` map to distinct separators.
 */
export function pathAddress(path: string): string {
  const segments = path.split("/").filter((s) => s.length > 0);
  if (segments.length === 0) return "root";
  return segments.map((segment) => segment.replace(/^\{(.+)\}$/, "_$1_").replace(/\./g, "-dot-")).join("__");
}

/** The Terraform resource name of a route (`GET /orders/{orderId}` → `GET__orders__orderId_`). */
export function routeAddress(method: string, path: string): string {
  return `${method}__${pathAddress(path)}`;
}

/** The usage-plan throttle path API Gateway expects for one route: `/orders/{orderId}/GET`. */
export function throttlePath(method: string, path: string): string {
  return `${path}/${method}`;
}

/** Hosted-domain token endpoint of a Cognito user pool. */
export function tokenUrl(domainPrefix: string, region: string): string {
  return `https://${domainPrefix}.auth.${region}.amazoncognito.com/oauth2/token`;
}

/** Secrets Manager name of a client's credentials: `<project>/<env>/clients/<key>`. */
export function credentialsSecretName(project: string, environment: string, clientKey: string): string {
  return `${project}/${environment}/clients/${clientKey}`;
}
