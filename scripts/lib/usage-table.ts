/** The usage report as a terminal table (and the few lines that say how to read it). */
import { daysInRange } from "./date-range";
import { groupThousands, formatTable } from "./table";
import { FLAG_PERCENT, type ClientUsage, type UsageReport } from "./usage-report";

function note(row: ClientUsage): string {
  if (row.status !== "ok") return row.status;
  return row.flagged ? `over ${FLAG_PERCENT}%` : "";
}

function orDash(value: number | null, format: (v: number) => string): string {
  return value === null ? "-" : format(value);
}

/** The report as lines of text. */
export function formatUsageReport(report: UsageReport): string[] {
  const rows = report.clients.map((row) => [
    row.client,
    row.tier,
    groupThousands(row.quota.limit),
    String(row.quota.period).toLowerCase(),
    orDash(row.used, groupThousands),
    orDash(row.remaining, groupThousands),
    orDash(row.percentOfQuota, (p) => `${p.toFixed(1)}%`),
    `${row.throttle.rateLimit}/s burst ${row.throttle.burstLimit}`,
    note(row),
  ]);
  const days = daysInRange(report);
  const lines = [
    `Usage in ${report.environment} (${report.region}) from ${report.from} to ${report.to} (${days} day${days === 1 ? "" : "s"})`,
    "",
    ...formatTable(
      [
        { header: "CLIENT" },
        { header: "TIER" },
        { header: "QUOTA", align: "right" },
        { header: "PER" },
        { header: "USED", align: "right" },
        { header: "REMAINING", align: "right" },
        { header: "USED%", align: "right" },
        { header: "THROTTLE" },
        { header: "NOTE" },
      ],
      rows,
    ),
    "",
    `USED counts requests from ${report.from} to ${report.to}; REMAINING and USED% are for the quota period that contains ${report.to}.`,
  ];
  const flagged = report.clients.filter((c) => c.flagged).length;
  if (flagged > 0) lines.push(`${flagged} client${flagged === 1 ? " is" : "s are"} over ${FLAG_PERCENT}% of quota.`);
  if (report.deployedNotInConfig.length > 0) {
    lines.push(
      `API keys tagged for ${report.environment} whose client is not in the config: ${report.deployedNotInConfig.join(", ")}`,
    );
  }
  return lines;
}
