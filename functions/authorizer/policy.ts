/**
 * Turns a plan of `RouteAccess` (`model/route-access.ts`) into the IAM policy API Gateway caches for a
 * token: the routes the scopes open are allowed, the routes an Allow pattern would reach beyond them
 * are denied, with ARNs under the stage of the triggering request.
 */
import type { PolicyDocument } from "aws-lambda";
import { routeArnPath, type PolicyPlan } from "../../model/route-access";
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
 * A {@link parseMethodArn} for one authorizer instance, which remembers the stage prefix it last
 * accepted: an instance serves one stage, so nearly every `methodArn` starts with it, and a pattern
 * with the prefix written out is cheaper to match than the general one. Same answers.
 */
export function methodArnParser(): (methodArn: unknown) => MethodArn | undefined {
  let stagePrefix = "";
  let sameStage: RegExp | undefined;
  return (methodArn) => {
    const request = typeof methodArn === "string" ? sameStage?.exec(methodArn) : undefined;
    if (request) return { stagePrefix, method: request[1], path: request[2] };
    const arn = parseMethodArn(methodArn);
    if (arn) {
      stagePrefix = arn.stagePrefix;
      // METHOD_ARN admits no character in a stage prefix that a pattern would read as anything but itself.
      sameStage = new RegExp(`^${stagePrefix}/([A-Z]+)/(.*)$`, "s");
    }
    return arn;
  };
}

/** The IAM policy for a plan, with ARNs under the stage of the triggering request. */
export function policyDocument(plan: PolicyPlan, stagePrefix: string): PolicyDocument {
  if (plan.allowed.length === 0) return policy([invoke("Deny", [`${stagePrefix}/*`])]);
  const allow = invoke(
    "Allow",
    plan.allowed.map((r) => routeArn(stagePrefix, r)),
  );
  if (plan.denied.length === 0) return policy([allow]);
  return policy([
    allow,
    invoke(
      "Deny",
      plan.denied.map((r) => routeArn(stagePrefix, r)),
    ),
  ]);
}

function policy(statements: PolicyDocument["Statement"]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

function invoke(effect: "Allow" | "Deny", resources: string[]): PolicyDocument["Statement"][number] {
  return { Action: "execute-api:Invoke", Effect: effect, Resource: resources };
}

/** The ARN of a route under a stage, `{param}` written as `*`. */
export function routeArn(stagePrefix: string, route: ParsedRoute): string {
  return `${stagePrefix}/${route.method}/${routeArnPath(route)}`;
}
