/**
 * An independent model of how API Gateway applies an authorizer policy to a request, for checking the
 * authorizer's policies from the outside: IAM resource wildcards (`*` any run of characters, `/`
 * included; `?` one character), explicit Deny over Allow, nothing allowed by default. And a dispatcher
 * that picks the route API Gateway would send a path to (`{param}` = one segment, literal wins).
 */
import type { PolicyDocument } from "aws-lambda";
import type { RouteRule } from "../../model/route-table";

function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "s");
}

function resources(statement: PolicyDocument["Statement"][number]): string[] {
  const r = (statement as { Resource?: string | string[] }).Resource;
  return r === undefined ? [] : Array.isArray(r) ? r : [r];
}

export function iamAllows(policy: PolicyDocument, arn: string): boolean {
  const matches = (effect: string) =>
    policy.Statement.some((s) => s.Effect === effect && resources(s).some((g) => globToRegExp(g).test(arn)));
  if (matches("Deny")) return false;
  return matches("Allow");
}

/** The route a request is dispatched to, or undefined for "no such resource". */
export function dispatch(routes: readonly RouteRule[], method: string, path: string): RouteRule | undefined {
  const parts = path === "/" ? [] : path.slice(1).split("/");
  const candidates = routes.filter((r) => {
    const segs = r.path === "/" ? [] : r.path.slice(1).split("/");
    return (
      r.method === method &&
      segs.length === parts.length &&
      segs.every((s, i) => (s.startsWith("{") ? parts[i] !== "" : s === parts[i]))
    );
  });
  // At the first position where two candidates differ, the literal one wins.
  const literalMask = (r: RouteRule) =>
    (r.path === "/" ? [] : r.path.slice(1).split("/")).map((s) => (s.startsWith("{") ? "1" : "0")).join("");
  return candidates.sort((a, b) => literalMask(a).localeCompare(literalMask(b)))[0];
}
