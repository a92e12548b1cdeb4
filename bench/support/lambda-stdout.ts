/**
 * The stdout of a Lambda function, emulated for the per-request benchmark: a pipe whose other end
 * another process reads, as Lambda's log collector reads what a function writes. The write end is a
 * `net.Socket` on a pipe handle, which is what Node makes `process.stdout` when descriptor 1 is a pipe:
 * a write goes out at once and is queued only while the pipe is full. While installed,
 * `process.stdout.write` goes to that socket; the reader counts the bytes it received, so the benchmark
 * can check that every line arrived.
 */
import { spawn } from "node:child_process";
import type { Writable } from "node:stream";

// Reads everything and prints how many bytes it read when the pipe closes.
const READER = 'let n=0;process.stdin.on("data",c=>{n+=c.length}).on("end",()=>process.stdout.write(String(n)))';

/** A pipe standing in for Lambda's stdout. */
export interface LambdaStdout {
  /** Sends `process.stdout.write` into the pipe until {@link LambdaStdout.restore}. */
  install(): void;
  restore(): void;
  /** Calls of `process.stdout.write` that went into the pipe so far. */
  readonly writes: () => number;
  /** Closes the pipe and resolves with the bytes the reader received. */
  close(): Promise<number>;
}

/** Puts `write` in place of `process.stdout.write`; the returned function puts the original back. */
function replaceStdoutWrite(write: (chunk: string | Uint8Array) => boolean): () => void {
  const original = Object.getOwnPropertyDescriptor(process.stdout, "write");
  process.stdout.write = write as typeof process.stdout.write;
  return () => {
    if (original) Object.defineProperty(process.stdout, "write", original);
    else delete (process.stdout as { write?: unknown }).write;
  };
}

export function lambdaStdout(): LambdaStdout {
  const reader = spawn(process.execPath, ["-e", READER], { stdio: ["pipe", "pipe", "inherit"] });
  const pipe = reader.stdin as Writable;
  let report = "";
  reader.stdout.setEncoding("utf8").on("data", (chunk: string) => (report += chunk));
  const exited = new Promise<void>((resolve) => reader.once("close", () => resolve()));
  let writes = 0;
  const write = (chunk: string | Uint8Array): boolean => {
    writes++;
    return pipe.write(chunk);
  };
  let uninstall = (): void => undefined;
  const restore = (): void => {
    uninstall();
    uninstall = () => undefined;
  };
  return {
    install: () => {
      restore();
      uninstall = replaceStdoutWrite(write);
    },
    restore,
    writes: () => writes,
    close: async () => {
      restore();
      if (pipe.writableEnded) return Number(report);
      pipe.end();
      await exited;
      return Number(report);
    },
  };
}
