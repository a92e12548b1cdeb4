/**
 * The stdout of a Lambda function, emulated for the per-request benchmark: a pipe whose other end
 * another process reads, as Lambda's log collector reads what a function writes. The write end is a
 * `net.Socket` on a pipe handle, which is what Node makes `process.stdout` when descriptor 1 is a pipe:
 * a write goes out at once and is queued only while the pipe is full. The benchmark writes to the socket
 * itself rather than through `process.stdout`, whose first use would make its own stdout pipe
 * non-blocking. The reader counts the bytes it received, so the benchmark can check that every line
 * arrived.
 */
import { spawn } from "node:child_process";
import type { Writable } from "node:stream";

// Reads everything and prints how many bytes it read when the pipe closes.
const READER = 'let n=0;process.stdin.on("data",c=>{n+=c.length}).on("end",()=>process.stdout.write(String(n)))';

/** A pipe standing in for Lambda's stdout, written through a `net.Socket`. */
export interface LambdaStdout {
  /** Writes `chunk` into the pipe, as `process.stdout.write` does when stdout is a pipe. */
  write(chunk: string): boolean;
  /** Calls of {@link LambdaStdout.write} so far. */
  readonly writes: () => number;
  /** Closes the pipe and resolves with the bytes the reader received. */
  close(): Promise<number>;
}

export function lambdaStdout(): LambdaStdout {
  const reader = spawn(process.execPath, ["-e", READER], { stdio: ["pipe", "pipe", "inherit"] });
  const pipe = reader.stdin as Writable;
  let report = "";
  reader.stdout.setEncoding("utf8").on("data", (chunk: string) => (report += chunk));
  const exited = new Promise<void>((resolve) => reader.once("close", () => resolve()));
  let writes = 0;
  return {
    write: (chunk) => {
      writes++;
      return pipe.write(chunk);
    },
    writes: () => writes,
    close: async () => {
      if (pipe.writableEnded) return Number(report);
      pipe.end();
      await exited;
      return Number(report);
    },
  };
}
