/**
 * What Lambda's Node.js runtime makes of `console.log` on a managed runtime, emulated for the
 * per-request benchmark: the runtime replaces the console's methods with a logger that writes each call
 * to its telemetry file descriptor as one frame (aws/aws-lambda-nodejs-runtime-interface-client,
 * `src/logging/telemetry-logger.ts`): the text `<ISO time>\t<request id>\tINFO\t<util.format(args)>\n`,
 * behind a 16-byte big-endian header (frame type, length, timestamp in µs), in two `writeSync` calls.
 * Here the descriptor is a file in the temporary folder, which the benchmark deletes.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";

// The runtime's text frame type ORed with a level mask; the exact mask does not change the cost.
const TEXT_FRAME_INFO = (0xa55a0003 | 0x10) >>> 0;
const FRAME_HEADER_BYTES = 16;

/** A console that writes as Lambda's does, and the way to put the real one back. */
export interface LambdaConsole {
  /** Replaces `console.log` with the emulation until {@link LambdaConsole.restore}. */
  install(): void;
  restore(): void;
  /** Closes and deletes the log file. */
  dispose(): void;
}

export function lambdaConsole(requestId = "8f5b7c3e-2d4a-4e8b-9c1f-6a7d3e2b1c0d"): LambdaConsole {
  const folder = mkdtempSync(join(tmpdir(), "m2m-lambda-log-"));
  const fd = openSync(join(folder, "telemetry.log"), "w");
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  const original = console.log;
  const log = (message?: unknown, ...params: unknown[]): void => {
    const now = new Date();
    const bytes = Buffer.from(`${now.toISOString()}\t${requestId}\tINFO\t${format(message, ...params)}\n`, "utf8");
    header.writeUInt32BE(TEXT_FRAME_INFO, 0);
    header.writeInt32BE(bytes.length, 4);
    header.writeBigInt64BE(BigInt(now.valueOf()) * 1000n, 8);
    writeSync(fd, header);
    writeSync(fd, bytes);
  };
  return {
    install: () => void (console.log = log),
    restore: () => void (console.log = original),
    dispose: () => {
      console.log = original;
      closeSync(fd);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
