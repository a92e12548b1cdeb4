/**
 * Turns a token's scopes into the IAM policy API Gateway caches for that token: the routes
 * `RouteAccess` (`model/route-access.ts`) says the scopes open are allowed, the routes an Allow
 * pattern would reach beyond them are denied, with ARNs under the stage of the triggering request.
 */
import type { PolicyDocument } from "aws-lambda";
import { RouteAccess, routeArnPath, type PolicyPlan } from "../../model/route-access";
import type { ParsedRoute } from "../../model/route-table";

/** The parts of an API Gateway `methodArn` the authorizer needs. */
export interface MethodArn {
  /** `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>`: the prefix of every route ARN. */
  readonly stagePrefix: string;
  /** HTTP method of the request that triggered the call. */
  readonly method: string;
  /** Request path without the leading `/`, as it appears in the ARN. */
  readonly path: string;
}

// The region, account, API id and stage cannot hold a `/` or `:`, so anchoring on them keeps a `:` or
// `/` in the request path from shifting the prefix.
const METHOD_ARN = /^(arn:aws[a-z-]*:execute-api:[a-z0-9-]+:\d{12}:[A-Za-z0-9]+\/[A-Za-z0-9_-]+)\/([A-Z]+)\/(.*)$/s;

/** Splits an API Gateway `methodArn`; undefined when it does not have the expected shape. */
export function parseMethodArn(methodArn: unknown): MethodArn | undefined {
  if (typeof methodArn !== "string") return undefined;
  const match = METHOD_ARN.exec(methodArn);
  if (!match) return undefined;
  return { stagePrefix: match[1], method: match[2], path: match[3] };
}

/**
 * Builds policies for one route table: the plan per set of scopes comes from {@link RouteAccess}, and
 * the document of a plan is built once per stage prefix.
 */
export class PolicyBuilder extends RouteAccess {
  private readonly documents = new WeakMap<PolicyPlan, { stagePrefix: string; document: PolicyDocument }>();

  /**
   * The IAM policy for a plan, with ARNs under the stage of the triggering request. A function serves
   * one stage, so the document is kept with its plan and rebuilt only if the prefix differs. It is
   * frozen: the same object answers many requests.
   */
  document(plan: PolicyPlan, stagePrefix: string): PolicyDocument {
    const cached = this.documents.get(plan);
    if (cached && cached.stagePrefix === stagePrefix) return cached.document;
    const document = deepFreeze(buildDocument(plan, stagePrefix));
    this.documents.set(plan, { stagePrefix, document });
    return document;
  }
}

function buildDocument(plan: PolicyPlan, stagePrefix: string): PolicyDocument {
  if (plan.allowed.length === 0) {
    return {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${stagePrefix}/*`] }],
    };
  }
  const statements: PolicyDocument["Statement"] = [
    { Action: "execute-api:Invoke", Effect: "Allow", Resource: plan.allowed.map((r) => routeArn(stagePrefix, r)) },
  ];
  if (plan.denied.length > 0) {
    statements.push({
      Action: "execute-api:Invoke",
      Effect: "Deny",
      Resource: plan.denied.map((r) => routeArn(stagePrefix, r)),
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The ARN of a route under a stage, `{param}` written as `*`. */
export function routeArn(stagePrefix: string, route: ParsedRoute): string {
  return `${stagePrefix}/${route.method}/${routeArnPath(route)}`;
}
