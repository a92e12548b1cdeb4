/**
 * The shipped handler writes one JSON decision line per request with `console.log`. A benchmark keeps
 * that cost (building and writing the line) but sends the line to the null device instead of the
 * terminal, with a synchronous write as Lambda's runtime does for stdout.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { devNull } from "node:os";

/** Sends `console.log` to the null device until the returned function is called (once or more). */
export function silenceConsoleLog(): () => void {
  const fd = openSync(devNull, "w");
  const original = console.log;
  console.log = (...args: unknown[]) => void writeSync(fd, `${args.map(String).join(" ")}\n`);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    console.log = original;
    closeSync(fd);
  };
}
