/**
 * The authorizer's log sink (`functions/authorizer/stdout-log.ts`): one whole line per `writeSync` to
 * stdout, and `console.log` for good once a direct write cannot be whole. The last test runs it in a
 * child process against a real non-blocking pipe that is not read until the child has written, so the
 * pipe fills and the writes fail with EAGAIN as they would behind a slow log reader.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { join } from "node:path";
import { stdoutLog } from "../functions/authorizer/stdout-log";

const REPO_ROOT = join(__dirname, "..");

/** Replaces `fs.writeSync` for descriptor 1 with `answer`; the writes it saw, and how to put it back. */
function stubStdout(answer: (text: string) => number) {
  const writes: string[] = [];
  const original = fs.writeSync.bind(fs);
  const spy = jest.spyOn(fs, "writeSync").mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1) return (original as (...args: unknown[]) => number)(fd, data, ...rest);
    writes.push(String(data));
    return answer(String(data));
  }) as typeof fs.writeSync);
  return { writes, restore: () => spy.mockRestore() };
}

const eagain = (): never => {
  throw Object.assign(new Error("EAGAIN: resource temporarily unavailable, write"), { code: "EAGAIN" });
};

describe("stdoutLog", () => {
  let stdout: ReturnType<typeof stubStdout> | undefined;
  afterEach(() => stdout?.restore());

  test("writes each line and its line break in one writeSync to descriptor 1, and nothing to the fallback", () => {
    stdout = stubStdout((text) => Buffer.byteLength(text));
    const fallback: string[] = [];
    const log = stdoutLog((line) => fallback.push(line));
    log('{"a":1}');
    log('{"b":"é"}');
    expect(stdout.writes).toEqual(['{"a":1}\n', '{"b":"é"}\n']);
    expect(fallback).toEqual([]);
  });

  test("after a write fails with EAGAIN, that line and every later one go to the fallback, never to stdout again", () => {
    let calls = 0;
    stdout = stubStdout((text) => (++calls === 2 ? eagain() : Buffer.byteLength(text)));
    const fallback: string[] = [];
    const log = stdoutLog((line) => fallback.push(line));
    for (const line of ["one", "two", "three", "four"]) log(line);
    expect(stdout.writes).toEqual(["one\n", "two\n"]);
    expect(fallback).toEqual(["two", "three", "four"]);
  });

  test("a short write ends direct writes too, and the fallback gets the whole line", () => {
    stdout = stubStdout((text) => Buffer.byteLength(text) - 1);
    const fallback: string[] = [];
    const log = stdoutLog((line) => fallback.push(line));
    log("one");
    log("two");
    expect(stdout.writes).toEqual(["one\n"]);
    expect(fallback).toEqual(["one", "two"]);
  });

  test("a line of up to 4,096 bytes with its line break (counted in UTF-8) is written; a longer one ends direct writes", () => {
    stdout = stubStdout((text) => Buffer.byteLength(text));
    const fallback: string[] = [];
    const log = stdoutLog((line) => fallback.push(line));
    // 2,049 characters (more than a third of 4,096, so the bytes are counted): 4,096 bytes with the break.
    const fits = `${"é".repeat(2_047)}a`;
    const tooLong = "é".repeat(2_048); // 4,096 bytes, 4,097 with the line break
    log(fits);
    log(tooLong);
    log("short");
    expect(stdout.writes).toEqual([`${fits}\n`]);
    expect(fallback).toEqual([tooLong, "short"]);
  });

  test("by default falls back to console.log", () => {
    stdout = stubStdout(eagain);
    const consoleLog = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      stdoutLog()("line");
      expect(consoleLog.mock.calls).toEqual([["line"]]);
    } finally {
      consoleLog.mockRestore();
    }
  });

  test("behind a real pipe that fills up: every line arrives once, whole and in order, part of them through console.log", async () => {
    // GIVEN a child whose stdout is a pipe Node has made non-blocking (touching process.stdout does that)
    // and which writes 2,000 lines of 200 bytes (400 KB, several times what the pipe holds)
    const lines = 2_000;
    const script = [
      'const { stdoutLog } = require("./functions/authorizer/stdout-log.ts");',
      "process.stdout;",
      "const log = stdoutLog();",
      `for (let i = 0; i < ${lines}; i++) log(JSON.stringify({ i, pad: "x".repeat(180) }));`,
      // Bytes console.log queued because the pipe was full: proof that the fallback took over.
      "process.stderr.write(`written ${process.stdout.writableLength}\\n`);",
    ].join("\n");
    const child = spawn(process.execPath, ["--import", "tsx", "-e", script], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pause();
    let stderr = "";
    const written = new Promise<number>((resolve, reject) => {
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        const match = /written (\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      child.once("exit", (code) => reject(new Error(`child exited (${code}) before writing: ${stderr}`)));
    });
    // WHEN the test reads only after the child has written everything
    const queued = await written;
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    // THEN the fallback was used, and the reader got every line exactly once, whole, in order
    expect(code).toBe(0);
    expect(queued).toBeGreaterThan(0);
    const received = output.split("\n");
    expect(received.pop()).toBe("");
    expect(received.map((line) => (JSON.parse(line) as { i: number }).i)).toEqual(
      Array.from({ length: lines }, (_, i) => i),
    );
  }, 30_000);
});
