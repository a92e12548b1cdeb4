/**
 * The `methodArn` API Gateway sends a TOKEN authorizer: the stage the policy's ARNs go under, and the
 * method and path of the request, which pick the route and which the decision line names.
 */

/** The parts of an API Gateway `methodArn` the authorizer needs. */
export interface MethodArn {
  /** `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>`: the prefix of every route ARN. */
  readonly stagePrefix: string;
  /** HTTP method of the request that triggered the call. */
  readonly method: string;
  /** Request path without the leading `/`, as it appears in the ARN. */
  readonly path: string;
  /**
   * `"GET /orders/42"`: method and request path as the decision line's `route` writes them, JSON text,
   * cut to {@link MAX_LOGGED_ROUTE} characters.
   */
  readonly routeJson: string;
}

/** The longest `route` a decision line carries: a request path can be as long as a URL. */
export const MAX_LOGGED_ROUTE = 256;

// The region, account, API id and stage cannot hold a `/` or `:`, so anchoring on them keeps a `:` or
// `/` in the request path from shifting the prefix.
const METHOD_ARN = /^(arn:aws[a-z-]*:execute-api:[a-z0-9-]+:\d{12}:[A-Za-z0-9]+\/[A-Za-z0-9_-]+)\/([A-Z]+)\/(.*)$/s;

/** Splits an API Gateway `methodArn`; undefined when it does not have the expected shape. */
export function parseMethodArn(methodArn: unknown): MethodArn | undefined {
  if (typeof methodArn !== "string") return undefined;
  const match = METHOD_ARN.exec(methodArn);
  if (!match) return undefined;
  const [, stagePrefix, method, path] = match;
  return { stagePrefix, method, path, routeJson: JSON.stringify(`${method} /${path}`.slice(0, MAX_LOGGED_ROUTE)) };
}
