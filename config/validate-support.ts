/**
 * Shared pieces of the registry validator: the vocabularies the schema's union types name (kept as
 * run-time lists, checked against the types so they cannot drift), value guards that never throw,
 * and the wording every message shares.
 */
import type { EntryProblems } from "./problems";
import type { IntegrationConfig, QuotaPeriod, RouteFunctionName } from "./schema";

/**
 * Returns `list` unchanged, but fails to compile when `list` misses a member of `T`: a method, period
 * or function added to the schema must be added here too, or the validator would reject it.
 */
function everyMemberOf<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : never)): L =>
    list;
}

export const QUOTA_PERIODS = everyMemberOf<QuotaPeriod>()(["DAY", "WEEK", "MONTH"]);
export const ROUTE_FUNCTION_NAMES = everyMemberOf<RouteFunctionName>()(["whoami"]);
export const INTEGRATION_TYPES = everyMemberOf<IntegrationConfig<string>["type"]>()(["http-proxy", "lambda", "mock"]);

/** A plain object (what a config section or entry must be), as opposed to null, arrays or primitives. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

export function isNonEmptyText(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

/** Own enumerable keys of a record, so that `toString` or `__proto__` never count as configured. */
export function hasOwn(record: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** Longest string a message quotes whole. */
const MAX_QUOTED_LENGTH = 120;

/**
 * How a message shows a value it was given: strings quoted with JSON.stringify (so blanks and odd
 * characters show), other primitives as they print, objects by kind only.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    // A pasted blob would drown the line: its start and its length say enough.
    return value.length > MAX_QUOTED_LENGTH
      ? `${JSON.stringify(value.slice(0, MAX_QUOTED_LENGTH))}… (${formatCount(value.length)} characters)`
      : JSON.stringify(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? "[]" : "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return `${value}n`;
  return String(value);
}

/** `10,001`: counts are read by people deciding whether to ask AWS for more. */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `"a", "b", "c"`: the allowed values of a name field. */
export function quoteAll(values: readonly string[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

/** `must be one of "a", "b"` — or, when nothing is defined to choose from, says so. */
export function mustBeOneOf(values: readonly string[], what: string): string {
  return values.length === 0
    ? `must name a defined ${what}, but none is defined`
    : `must be one of ${quoteAll(values)}`;
}

/** `got <value>`: the tail of every message that judges a given value. */
export function got(value: unknown): string {
  return `got ${describeValue(value)}`;
}

/**
 * How an entry of a keyed section is named: `tiers.silver` when the key reads as an identifier,
 * `tiers["my tier"]` otherwise.
 */
export function keyedEntry(section: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${section}.${key}` : `${section}[${JSON.stringify(key)}]`;
}

/**
 * Names each item of a list section. An item whose label is well formed and seen first is named by it
 * (`clients["acme-billing"]`); any other carries its index too (`clients[3] ("Bad Key")`), so that two
 * items with the same label never share an entry name.
 */
export function listEntryNames(
  section: string,
  labels: readonly (string | undefined)[],
  isWellFormed: (label: string) => boolean,
): string[] {
  const seen = new Set<string>();
  return labels.map((label, index) => {
    if (label === undefined) return `${section}[${index}]`;
    const firstSighting = !seen.has(label);
    seen.add(label);
    return firstSighting && isWellFormed(label)
      ? `${section}[${JSON.stringify(label)}]`
      : `${section}[${index}] (${JSON.stringify(label)})`;
  });
}

/**
 * Checks a list of names (scopes, environments, principals) item by item: `checkItem` judges one item
 * alone, and an item equal to an earlier one is reported as a repeat. One problem per item at most.
 */
export function checkNameList(
  problems: EntryProblems,
  field: string,
  items: readonly unknown[],
  checkItem: (item: unknown) => string | undefined,
): void {
  const firstIndex = new Map<unknown, number>();
  items.forEach((item, index) => {
    const itemField = `${field}[${index}]`;
    const itemProblem = checkItem(item);
    if (itemProblem !== undefined) {
      problems.error(itemField, itemProblem);
    } else if (firstIndex.has(item)) {
      problems.error(itemField, `must not repeat ${field}[${firstIndex.get(item)}]; ${got(item)}`);
    }
    if (!firstIndex.has(item)) firstIndex.set(item, index);
  });
}

/**
 * What the section validators need to know about the rest of the registry. Names are collected from
 * every entry, well formed or not, so that one bad name yields one problem rather than one more at each
 * place that uses it.
 */
export interface RegistryIndex {
  /** The project name every AWS name starts with, when it is well formed (the default when unset). */
  readonly project: string | undefined;
  /** AWS's regions and the registry's `additionalRegions`. */
  readonly regions: ReadonlySet<string>;
  /** Keys of `environments`. */
  readonly environmentNames: readonly string[];
  /** Every `<identifier>/<scope>` the resource servers define. */
  readonly definedScopes: readonly string[];
  /** Keys of `tiers`. */
  readonly tierNames: readonly string[];
  /** Entry name of each route, by position in `routes`. */
  readonly routeEntries: readonly string[];
  /** `"<METHOD> <path>"` of every route, exactly as configured. */
  readonly routeKeys: ReadonlySet<string>;
  /** Scopes that at least one route demands. */
  readonly requiredScopes: ReadonlySet<string>;
  /** Entry name of each client, by position in `clients`. */
  readonly clientEntries: readonly string[];
  /** The file each client came from, by position, for a registry gathered from files. */
  readonly clientSources: readonly (string | undefined)[];
}
