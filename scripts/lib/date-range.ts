/**
 * The date range of a usage report: calendar days in UTC (API Gateway meters usage per UTC day),
 * both ends included, never longer than one `GetUsage` request may cover.
 */
import { UsageError } from "./errors";

/** Longest range `GetUsage` serves in one request, in days. */
export const MAX_USAGE_RANGE_DAYS = 90;

/** Inclusive range of `YYYY-MM-DD` days. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a moment, in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parseDay(value: string, flag: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches it.
  if (!match || Number.isNaN(time) || isoDay(new Date(time)) !== value) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a calendar date in the form YYYY-MM-DD`);
  }
  return time;
}

/** Days from `from` to `to`, both included. */
export function daysInRange(range: DateRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
}

/**
 * The report's range: `--from`/`--to` as given, or this month so far. `--to` defaults to today;
 * `--from` defaults to the first of `--to`'s month.
 */
export function resolveDateRange(options: { from?: string; to?: string; today: Date }): DateRange {
  const to = options.to ?? isoDay(options.today);
  const toTime = parseDay(to, "--to");
  const from = options.from ?? `${to.slice(0, 8)}01`;
  const fromTime = parseDay(from, "--from");
  if (fromTime > toTime) throw new UsageError(`--from ${from} is after --to ${to}`);
  if (toTime > parseDay(isoDay(options.today), "today"))
    throw new UsageError(`--to ${to} is in the future (today is ${isoDay(options.today)} UTC)`);
  const range = { from, to };
  const days = daysInRange(range);
  if (days > MAX_USAGE_RANGE_DAYS) {
    const earliest = isoDay(new Date(toTime - (MAX_USAGE_RANGE_DAYS - 1) * DAY_MS));
    throw new UsageError(
      `--from ${from} --to ${to} spans ${days} days; API Gateway usage covers at most ${MAX_USAGE_RANGE_DAYS} days per report: use --from ${earliest} or later`,
    );
  }
  return range;
}
