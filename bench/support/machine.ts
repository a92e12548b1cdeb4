/** The machine a run measured, for the header of `docs/benchmarks.md`. */
import { readFileSync } from "node:fs";
import { cpus, totalmem, type as osType, release } from "node:os";
import { formatNumber } from "./stats";

/** What the numbers depend on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memory: string;
  readonly os: string;
  readonly node: string;
}

function cpuModelFromProc(): string | undefined {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    return line?.split(":").slice(1).join(":").trim();
  } catch {
    // Not Linux: fall back to what Node reports.
    return undefined;
  }
}

export function describeMachine(): MachineInfo {
  const cores = cpus();
  return {
    cpuModel: cpuModelFromProc() ?? cores[0]?.model ?? "unknown",
    cores: cores.length,
    memory: `${formatNumber(totalmem() / 1024 ** 3, 1)} GiB`,
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}
