/** Small statistics and number formatting shared by the benchmarks. */

/** The median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Smallest and largest value, for the spread shown next to a median. */
export function range(values: readonly number[]): { readonly min: number; readonly max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** `1234.5` → `"1,234.5"` with a fixed number of decimals. */
export function formatNumber(value: number, decimals = 1): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Bytes as KB (1 KB = 1,024 bytes, as esbuild and most bundle tools count). */
export function formatKb(bytes: number): string {
  return `${formatNumber(bytes / 1024, 1)} KB`;
}

/** Bytes as MB (1 MB = 1,024 × 1,024 bytes). */
export function formatMb(bytes: number): string {
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
}

/** Milliseconds as `"850 ms"` below ten seconds' worth of precision needs, `"12.3 s"` above a second. */
export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${formatNumber(ms, ms < 100 ? 1 : 0)} ms` : `${formatNumber(ms / 1_000, 2)} s`;
}

/** How far a measured value is over its limit, as `"+12 %"`. */
export function overBy(measured: number, limit: number): string {
  return `+${formatNumber(((measured - limit) / limit) * 100, 0)} %`;
}
