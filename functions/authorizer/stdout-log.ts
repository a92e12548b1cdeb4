/**
 * How the authorizer's log lines leave the function: each line in one `writeSync` to stdout.
 *
 * Lambda sends what a function writes to stdout to CloudWatch Logs one line per event, as written. So
 * the line carries what Lambda's console would have put in front of it: `level` (which Lambda's
 * application log-level filter reads from a JSON line when the function logs in JSON format) and
 * `requestId`; the event's timestamp is the moment Lambda received the line. Lambda's console costs
 * about three times as much a line (timestamp, `util.format`, a frame header, two writes; `npm run
 * bench`, benchmark 1).
 *
 * The write is whole or nothing: a line of at most `PIPE_BUF` bytes is written to a pipe in one piece, or
 * not at all (POSIX). It fails with `EAGAIN` when Node has made stdout non-blocking (it does once
 * anything touches `process.stdout`) and the reader is more than a pipe's buffer behind. Then that line
 * and every later one go through `console.log`, which queues instead; so does the first line too long
 * for one atomic write, and all after it. Only one writer ever feeds stdout, so lines never interleave
 * (in Lambda, `console.log` does not even write to stdout but to the runtime's own log descriptor).
 */
import { writeSync } from "node:fs";

/** A sink for one log line, without its line break. */
export type LogLine = (line: string) => void;

const STDOUT_FD = 1;
// PIPE_BUF on Linux, where Lambda runs: the longest write a pipe takes whole or not at all.
const ATOMIC_WRITE_BYTES = 4_096;

/**
 * A line writer with its own state: direct writes to stdout until one fails, `fallback` from then on.
 * @param fallback where lines go once a direct write failed or a line was too long for one;
 *   `console.log` by default
 */
export function stdoutLog(fallback: LogLine = (line) => console.log(line)): LogLine {
  let direct = true;
  return (line) => {
    if (direct) {
      const text = `${line}\n`;
      const bytes = Buffer.byteLength(text);
      if (bytes <= ATOMIC_WRITE_BYTES) {
        try {
          if (writeSync(STDOUT_FD, text) === bytes) return;
          // A short count (on a socket, or a full disk; never on a pipe for a write this short): the
          // fallback writes the line again, whole.
        } catch {
          // EAGAIN (the reader is behind), EPIPE or EBADF (no reader).
        }
      }
      direct = false;
    }
    fallback(line);
  };
}
