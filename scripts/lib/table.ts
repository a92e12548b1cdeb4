/** Plain-text tables with fixed-width columns, for terminals and for exact assertions in tests. */

/** A column: its header and which side its cells hug. */
export interface Column {
  readonly header: string;
  /** @default "left" */
  readonly align?: "left" | "right";
}

/** Column gap, in spaces. */
const GAP = "  ";

/**
 * The header and rows, each column as wide as its widest cell, separated by two spaces, without
 * trailing spaces.
 */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) =>
        column.align === "right" ? (cells[i] ?? "").padStart(widths[i]) : (cells[i] ?? "").padEnd(widths[i]),
      )
      .join(GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

/** An integer with `,` between thousands, whatever the machine's locale. */
export function groupThousands(value: number): string {
  const sign = value < 0 ? "-" : "";
  return sign + String(Math.abs(Math.trunc(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
