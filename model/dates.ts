/**
 * Calendar days as the registry and the runtime schedule write them (`YYYY-MM-DD`), counted in UTC,
 * the time zone CI runs in.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MILLISECONDS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a real `YYYY-MM-DD` calendar date; undefined for `2026-02-30` and the like. */
export function parseIsoDay(value: unknown): number | undefined {
  const match = typeof value === "string" ? ISO_DATE.exec(value) : null;
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 02-30 over into March (and maps years below 100 to the 1900s): a changed field
  // means the date does not exist.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime() / MILLISECONDS_PER_DAY;
}

/**
 * Days since 1970-01-01 of a date this code base states itself (a schedule row). A malformed one
 * reads as NaN, which compares false with everything, so it can never block or warn by accident;
 * `__tests__/model` checks every such date parses.
 */
export function isoDay(value: string): number {
  return parseIsoDay(value) ?? Number.NaN;
}

/** Today's calendar day in UTC as days since 1970-01-01. */
export function utcDay(today: Date): number {
  return Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) / MILLISECONDS_PER_DAY;
}
