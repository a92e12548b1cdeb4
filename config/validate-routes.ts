/**
 * Run-time checks of `routes`: methods, path syntax, routes API Gateway cannot build side by side,
 * scopes and integrations.
 */
import { firstClaim } from "./first-claim";
import type { EntryProblems, ProblemCollector } from "./problems";
import {
  type RegistryIndex,
  INTEGRATION_TYPES,
  ROUTE_FUNCTION_NAMES,
  checkNameList,
  got,
  hasOwn,
  isRecord,
  isWholeNumber,
  keyedEntry,
  mustBeOneOf,
  quoteAll,
} from "./validate-support";
import { MOCK_STATUS_CODE } from "../model/aws-limits";
import { pathAddress } from "../model/names";
import { findPolicyConflicts } from "../model/route-access";
import { parseRouteRule, type ParsedRoute } from "../model/route-table";
import { HTTP_METHODS, isHttpMethod, matchShape, paramNames, parseRoutePath, type PathSegment } from "../model/routes";

/** `{name}` placeholders in an upstream URL. */
const URL_PARAM = /\{([^{}]*)\}/g;

export function validateRoutes(routes: readonly unknown[], index: RegistryIndex, collector: ProblemCollector): void {
  const problemsBefore = collector.problems.length;
  const firstRouteByShape = new Map<string, string>();
  // API Gateway builds one resource per path prefix, so every route that has a parameter at the same
  // place under the same parent must call it the same: sibling `{id}` and `{orderId}` cannot coexist.
  const paramOwners = new Map<string, { readonly name: string; readonly entry: string }>();
  // Terraform addresses are derived from paths; two paths must never share one, or one route's
  // resources would silently replace the other's.
  const addressOwners = new Map<string, { readonly path: string; readonly entry: string }>();

  routes.forEach((route, position) => {
    const entry = index.routeEntries[position] ?? `routes[${position}]`;
    const problems = collector.entry(entry);
    if (!isRecord(route)) {
      problems.error("", `must be an object with method, path, scopes and integration; ${got(route)}`);
      return;
    }
    const method = route.method;
    if (!isHttpMethod(method)) {
      problems.error("method", `${mustBeOneOf(HTTP_METHODS, "method")}; ${got(method)}`);
    }
    const parsed = parseRoutePath(route.path);
    if ("problem" in parsed) {
      problems.error("path", `${parsed.problem}; ${got(route.path)}`);
    } else if (typeof method === "string") {
      const shape = `${method} ${matchShape(parsed.segments)}`;
      const duplicated = firstRouteByShape.get(shape);
      if (duplicated !== undefined) {
        problems.error(
          "path",
          `must differ from ${duplicated} in method or path (parameter names do not count); ${got(route.path)}`,
        );
      } else {
        firstRouteByShape.set(shape, entry);
        checkParamNamesAgreeWithSiblings(entry, parsed.segments, route.path, paramOwners, problems);
        checkAddressIsUnique(entry, String(route.path), addressOwners, problems);
      }
    }
    const scopes = route.scopes;
    if (!Array.isArray(scopes)) {
      problems.error("scopes", `must be a list of scopes (an empty list admits any valid token); ${got(scopes)}`);
    } else {
      checkNameList(problems, "scopes", scopes, (scope) =>
        typeof scope === "string" && index.definedScopes.includes(scope)
          ? undefined
          : `${mustBeOneOf(index.definedScopes, "scope")}; ${got(scope)}`,
      );
    }
    const pathParams = "problem" in parsed ? undefined : paramNames(parsed.segments);
    checkIntegration(route.integration, route.path, pathParams, index, problems);
  });
  if (collector.problems.length === problemsBefore) warnAboutPolicyConflicts(routes, collector);
}

/**
 * IAM's `*` crosses `/`, so a `{param}` route's Deny can also cover another route the token may use
 * (model/route-access.ts). The authorizer then refuses that route rather than risk allowing one it
 * must not: safe, but a partner loses access, so say so before deploying. Runs only on routes that
 * passed every check above, so each parses.
 */
function warnAboutPolicyConflicts(routes: readonly unknown[], collector: ProblemCollector): void {
  const parsed = routes.flatMap((route): ParsedRoute[] => {
    const result = parseRouteRule(route as ParsedRoute);
    return "route" in result ? [result.route] : [];
  });
  const problems = collector.entry("routes");
  for (const conflict of findPolicyConflicts(parsed)) {
    problems.warning(
      "",
      `the authorizer's policy cannot keep these routes apart: ${conflict}, so a token allowed the last may be refused it (make the {param} segment a literal or move the route)`,
    );
  }
}

function checkAddressIsUnique(
  entry: string,
  path: string,
  addressOwners: Map<string, { readonly path: string; readonly entry: string }>,
  problems: EntryProblems,
): void {
  const address = pathAddress(path);
  const owner = firstClaim(addressOwners, address, { path, entry });
  if (owner !== undefined && owner.path !== path) {
    problems.error(
      "path",
      `must not map to the Terraform name ${JSON.stringify(address)} that ${owner.entry} already uses (rename a segment); ${got(path)}`,
    );
  }
}

function checkParamNamesAgreeWithSiblings(
  entry: string,
  segments: readonly PathSegment[],
  path: unknown,
  paramOwners: Map<string, { readonly name: string; readonly entry: string }>,
  problems: EntryProblems,
): void {
  for (const [position, segment] of segments.entries()) {
    if (segment.kind !== "param") continue;
    const parent = matchShape(segments.slice(0, position));
    const owner = firstClaim(paramOwners, parent, { name: segment.name, entry });
    if (owner !== undefined && owner.name !== segment.name) {
      problems.error(
        "path",
        `must call the parameter at segment ${position + 1} {${owner.name}}, as ${
          owner.entry
        } does (API Gateway cannot have sibling {${owner.name}} and {${segment.name}} resources); ${got(path)}`,
      );
      return;
    }
  }
}

function checkIntegration(
  integration: unknown,
  path: unknown,
  pathParams: readonly string[] | undefined,
  index: RegistryIndex,
  problems: EntryProblems,
): void {
  if (!isRecord(integration)) {
    problems.error("integration", `must be an object with a type; ${got(integration)}`);
    return;
  }
  switch (integration.type) {
    case "http-proxy":
      checkUpstreamUrls(integration.url, path, pathParams, index, problems);
      return;
    case "lambda":
      if (!(ROUTE_FUNCTION_NAMES as readonly unknown[]).includes(integration.function)) {
        problems.error(
          "integration.function",
          `must be one of ${quoteAll(ROUTE_FUNCTION_NAMES)}; ${got(integration.function)}`,
        );
      }
      return;
    case "mock": {
      const status = integration.statusCode;
      if (
        status !== undefined &&
        (!isWholeNumber(status) || status < MOCK_STATUS_CODE.min || status > MOCK_STATUS_CODE.max)
      ) {
        problems.error(
          "integration.statusCode",
          `must be a whole number from ${MOCK_STATUS_CODE.min} to ${MOCK_STATUS_CODE.max}; ${got(status)}`,
        );
      }
      return;
    }
    default:
      problems.error("integration.type", `must be one of ${quoteAll(INTEGRATION_TYPES)}; ${got(integration.type)}`);
  }
}

function checkUpstreamUrls(
  urls: unknown,
  path: unknown,
  pathParams: readonly string[] | undefined,
  index: RegistryIndex,
  problems: EntryProblems,
): void {
  if (!isRecord(urls)) {
    problems.error("integration.url", `must be an object mapping each environment to an https:// URL; ${got(urls)}`);
    return;
  }
  for (const environment of index.environmentNames) {
    const field = keyedEntry("integration.url", environment);
    const url = hasOwn(urls, environment) ? urls[environment] : undefined;
    if (!isAbsoluteHttpsUrl(url)) {
      problems.error(field, `must be an absolute https:// URL (every environment needs one); ${got(url)}`);
      continue;
    }
    // Without a parsed path there is nothing to compare the URL's parameters with.
    if (pathParams === undefined) continue;
    const unknownParam = [...url.matchAll(URL_PARAM)]
      .map((match) => match[1])
      .find((name) => !pathParams.includes(name ?? ""));
    if (unknownParam !== undefined) {
      const allowed =
        pathParams.length === 0
          ? `may use no {param}: the path ${JSON.stringify(path)} has none`
          : `may only use the path's parameters ${pathParams.map((name) => `{${name}}`).join(", ")}`;
      problems.error(field, `${allowed}; got {${unknownParam}} in ${JSON.stringify(url)}`);
    }
  }
  for (const environment of Object.keys(urls)) {
    if (!index.environmentNames.includes(environment)) {
      problems.error(
        keyedEntry("integration.url", environment),
        `${mustBeOneOf(index.environmentNames, "environment")}; ${got(environment)}`,
      );
    }
  }
}

function isAbsoluteHttpsUrl(url: unknown): url is string {
  if (typeof url !== "string" || !url.startsWith("https://")) return false;
  try {
    // Placeholders are filled in by API Gateway; stand one in so that `{param}` in the host parses.
    return new URL(url.replace(URL_PARAM, "p")).hostname.length > 0;
  } catch {
    return false;
  }
}
