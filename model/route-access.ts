/**
 * Which routes a set of scopes opens, as the authorizer's IAM policy will open them. The authorizer
 * builds its policies from this, and the validator, the change summary and the access matrix ask it
 * the same question, so what a reviewer is told a client may call is what the authorizer allows.
 *
 * API Gateway caches a TOKEN authorizer's answer per token and applies it to every later request with
 * that token, whatever the route. So the policy must describe the whole stage: allow every route the
 * scopes satisfy and nothing else, identically whichever route triggered the call.
 *
 * The catch is IAM matching: in `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>` a
 * `*` matches any characters, `/` included. Writing `{param}` as `*` therefore makes `GET /orders/*`
 * match the deeper route `GET /orders/{id}/secrets` too. Per pair of routes it is computed whether an
 * Allow pattern reaches into a route the token must not call ("leak"); each leaked route gets an
 * explicit Deny, which IAM lets override any Allow. A Deny pattern with a `*` could in turn reach an
 * allowed route ("collision"); that is a conflict the policy language cannot express exactly, and the
 * Deny is kept (a partner loses part of a route it may use, never the reverse) and reported.
 * {@link findPolicyConflicts} finds such route tables before they ship.
 */
import type { ParsedRoute } from "./route-table";
import { arnPath } from "./routes";

/** Which routes a set of scopes opens, and which need an explicit Deny. */
export interface PolicyPlan {
  /** Routes whose scopes the token holds, all of them. */
  readonly allowed: readonly ParsedRoute[];
  /** Routes the token may not call but that an Allow pattern would reach: denied explicitly. */
  readonly denied: readonly ParsedRoute[];
  /** Allowed routes that a Deny pattern also reaches for some paths (see the module comment). */
  readonly conflicts: readonly ParsedRoute[];
}

// Tokens of a pattern, one per character; `null` stands for the variable part. In an ARN glob `null` is
// IAM's `*` (any string, `/` included); in a route language it is one path segment (one or more
// characters, no `/`).
export type Pattern = readonly (string | null)[];

// A literal route's ARN matches exactly one path, and a request for exactly that path is dispatched to
// that route (API Gateway prefers the explicit resource), so only patterns with a `*` reach other routes.
function patternOf(route: ParsedRoute): Pattern {
  const out: (string | null)[] = [];
  route.segments.forEach((s, i) => {
    if (i > 0) out.push("/");
    if (s.kind === "literal") out.push(...s.text);
    else out.push(null);
  });
  return out;
}

/**
 * Whether some request path matches both the IAM glob and the route's segment language. A product of
 * the two automata, searched depth first; the state space is |glob| × |route| × 2, so it terminates.
 */
export function globReachesRoute(glob: Pattern, route: Pattern): boolean {
  const G = glob.length;
  const T = route.length;
  const seen = new Uint8Array((G + 1) * (T + 1) * 2);
  const stack: number[] = [];
  const push = (i: number, j: number, inSegment: number): void => {
    const id = (i * (T + 1) + j) * 2 + inSegment;
    if (seen[id]) return;
    seen[id] = 1;
    stack.push(i, j, inSegment);
  };
  push(0, 0, 0);
  while (stack.length > 0) {
    const inSegment = stack.pop()!;
    const j = stack.pop()!;
    const i = stack.pop()!;
    if (i === G && j === T && inSegment === 0) return true;
    // Moves that consume no character: the glob's `*` may match nothing; a segment already holding one
    // character may end.
    if (i < G && glob[i] === null) push(i + 1, j, inSegment);
    if (inSegment === 1) push(i, j + 1, 0);
    if (i >= G || j >= T) continue;
    // Moves that consume one character on both sides.
    const g = glob[i];
    const t = route[j];
    const nextI = g === null ? i : i + 1;
    if (t === null) {
      // A segment character: anything but `/`.
      if (g === null || g !== "/") push(nextI, j, 1);
    } else if (inSegment === 0 && (g === null || g === t)) {
      push(nextI, j + 1, 0);
    }
  }
  return false;
}

/** A route's path as its ARN writes it: `{param}` as IAM's `*` (`orders/*`). */
export function routeArnPath(route: ParsedRoute): string {
  return arnPath(route.segments);
}

/**
 * The access one route table gives each set of scopes. The pairwise reach between routes is computed
 * once; a plan is then a pass over the routes. (The authorizer keeps the answer built from it per
 * client, so it asks once per client and scope claim.)
 */
export class RouteAccess {
  /**
   * `reaches[from][to]`: the ARN pattern of route `from` matches some request dispatched to route `to`.
   * Read as `[allowed][refused]` it is a leak, as `[denied][allowed]` a collision.
   */
  private readonly reaches: boolean[][];

  constructor(readonly routes: readonly ParsedRoute[]) {
    // The same token list serves as IAM glob (`null` = `*`) and as route language (`null` = one segment).
    const patterns = routes.map(patternOf);
    this.reaches = routes.map((from, fi) =>
      routes.map(
        (to, ti) =>
          fi !== ti && from.method === to.method && !from.literal && globReachesRoute(patterns[fi], patterns[ti]),
      ),
    );
  }

  /** The plan for a token holding `granted` scopes. */
  plan(granted: ReadonlySet<string>): PolicyPlan {
    const allowedIdx: number[] = [];
    const refusedIdx: number[] = [];
    this.routes.forEach((r, i) => (r.scopes.every((s) => granted.has(s)) ? allowedIdx : refusedIdx).push(i));
    const deniedIdx = refusedIdx.filter((d) => allowedIdx.some((a) => this.reaches[a][d]));
    const conflictIdx = allowedIdx.filter((a) => deniedIdx.some((d) => this.reaches[d][a]));
    return {
      allowed: allowedIdx.map((i) => this.routes[i]),
      denied: deniedIdx.map((i) => this.routes[i]),
      conflicts: conflictIdx.map((i) => this.routes[i]),
    };
  }

  /** Whether route `from`'s ARN pattern reaches route `to` (indices into `routes`). */
  reach(from: number, to: number): boolean {
    return this.reaches[from][to];
  }
}

/**
 * Route-table combinations for which some token's policy cannot be exact: an allowed route `a` reaches
 * a refused route `d`, whose Deny reaches an allowed route `b`, and some scope set grants `a` and `b`
 * without `d`. Each entry names the three routes. The validator warns about them at synth; at run time
 * the authorizer stays safe (the Deny wins) but the partner loses part of `b`.
 */
export function findPolicyConflicts(routes: readonly ParsedRoute[]): string[] {
  const access = new RouteAccess(routes);
  const out: string[] = [];
  routes.forEach((a, ai) =>
    routes.forEach((d, di) => {
      if (!access.reach(ai, di)) return;
      routes.forEach((b, bi) => {
        if (bi === di || !access.reach(di, bi)) return;
        const union = new Set([...a.scopes, ...b.scopes]);
        if (d.scopes.every((s) => union.has(s))) return;
        out.push(`${a.key} reaches ${d.key}, whose Deny reaches ${b.key}`);
      });
    }),
  );
  return out;
}
