/**
 * The route grammar, once: the methods a route may use, how a path splits into literal and `{param}`
 * segments, and what two paths API Gateway cannot tell apart. The validator judges registry routes
 * with it, `MachineApi` builds resources from it, and the authorizer's route table parses with it.
 * Parsing never throws: a malformed path is a result that says what is wrong.
 */

/** HTTP methods a route may use. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** One of {@link HTTP_METHODS}. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

export function isHttpMethod(value: unknown): value is HttpMethod {
  return typeof value === "string" && (HTTP_METHODS as readonly string[]).includes(value);
}

/** One segment of a route path: literal text, or a `{param}` that matches exactly one segment. */
export type PathSegment =
  { readonly kind: "literal"; readonly text: string } | { readonly kind: "param"; readonly name: string };

/** A path split into segments, or what is wrong with it (the first thing found, without the value). */
export type ParsedPath = { readonly segments: readonly PathSegment[] } | { readonly problem: string };

// Letters, digits, `.`, `_` and `-`: no IAM wildcard (`*`, `?`) can appear in a literal, so the
// authorizer's policy ARNs never widen, and every literal maps to a Terraform address.
const LITERAL_SEGMENT = /^[A-Za-z0-9._-]+$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a route path into segments, or says what is wrong with it. */
export function parseRoutePath(path: unknown): ParsedPath {
  if (typeof path !== "string") return { problem: `must be a path such as "/orders/{orderId}"` };
  if (!path.startsWith("/")) return { problem: `must start with "/"` };
  // The root resource of the API.
  if (path === "/") return { segments: [] };
  if (path.endsWith("/")) return { problem: `must not end with "/"` };
  const texts = path.slice(1).split("/");
  if (texts.includes("")) return { problem: `must not contain an empty segment ("//")` };
  const segments: PathSegment[] = [];
  for (const text of texts) {
    if (text.startsWith("{") && text.endsWith("}")) {
      const name = text.slice(1, -1);
      if (name.endsWith("+")) return { problem: `must not use a greedy parameter such as "{proxy+}" (not supported)` };
      if (!PARAM_NAME.test(name)) {
        return {
          problem: `parameter ${JSON.stringify(text)} must be named with letters, digits and "_", not starting with a digit`,
        };
      }
      segments.push({ kind: "param", name });
    } else if (LITERAL_SEGMENT.test(text)) {
      segments.push({ kind: "literal", text });
    } else {
      return { problem: `segment ${JSON.stringify(text)} must be letters, digits, ".", "_" and "-", or a {param}` };
    }
  }
  const names = paramNames(segments);
  const repeated = names.find((name, position) => names.indexOf(name) !== position);
  if (repeated !== undefined) return { problem: `must not repeat the parameter {${repeated}}` };
  return { segments };
}

/** The `{param}` names of a parsed path, in order. */
export function paramNames(segments: readonly PathSegment[]): string[] {
  return segments.flatMap((segment) => (segment.kind === "param" ? [segment.name] : []));
}

/** The `{param}` names of a path that is known to be well formed (a validated registry's). */
export function pathParameters(path: string): string[] {
  const parsed = parseRoutePath(path);
  return "segments" in parsed ? paramNames(parsed.segments) : [];
}

/** A path as its execute-api ARN writes it: `{param}` as IAM's `*`, no leading slash (`orders/*`). */
export function arnPath(segments: readonly PathSegment[]): string {
  return segments.map((segment) => (segment.kind === "literal" ? segment.text : "*")).join("/");
}

/** The ARN path of a path that is known to be well formed (a validated registry's). */
export function arnPathOf(path: string): string {
  const parsed = parseRoutePath(path);
  return "segments" in parsed ? arnPath(parsed.segments) : path.replace(/^\//, "");
}

/** The path as API Gateway matches it: parameter names do not count (`/orders/{}`). */
export function matchShape(segments: readonly PathSegment[]): string {
  return "/" + segments.map((segment) => (segment.kind === "param" ? "{}" : segment.text)).join("/");
}

/** How a route is keyed in the registry and in logs: `"GET /orders/{orderId}"`. */
export function routeKey(method: string, path: string): string {
  return `${method} ${path}`;
}

/** Splits a route key (`"POST /orders"`) back into its method and path. */
export function splitRouteKey(key: string): { readonly method: string; readonly path: string } {
  const space = key.indexOf(" ");
  return space < 0 ? { method: key, path: "" } : { method: key.slice(0, space), path: key.slice(space + 1) };
}
