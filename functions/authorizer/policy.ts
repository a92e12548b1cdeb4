/**
 * Turns a plan of `RouteAccess` (`model/route-access.ts`) into the IAM policy API Gateway caches for a
 * token: the routes the scopes open are allowed, the routes an Allow pattern would reach beyond them
 * are denied, with ARNs under the stage of the triggering request.
 */
import type { PolicyDocument } from "aws-lambda";
import { routeArnPath, type PolicyPlan } from "../../model/route-access";
import type { ParsedRoute } from "../../model/route-table";

/** The IAM policy for a plan, with ARNs under the stage of the triggering request. */
export function policyDocument(plan: PolicyPlan, stagePrefix: string): PolicyDocument {
  const arns = (routes: readonly ParsedRoute[]) => routes.map((r) => routeArn(stagePrefix, r));
  const statements =
    plan.allowed.length === 0
      ? [invoke("Deny", [`${stagePrefix}/*`])]
      : [invoke("Allow", arns(plan.allowed)), ...(plan.denied.length === 0 ? [] : [invoke("Deny", arns(plan.denied))])];
  return { Version: "2012-10-17", Statement: statements };
}

function invoke(effect: "Allow" | "Deny", resources: string[]): PolicyDocument["Statement"][number] {
  return { Action: "execute-api:Invoke", Effect: effect, Resource: resources };
}

/** The ARN of a route under a stage, `{param}` written as `*`. */
export function routeArn(stagePrefix: string, route: ParsedRoute): string {
  return `${stagePrefix}/${route.method}/${routeArnPath(route)}`;
}
