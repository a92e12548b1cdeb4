/**
 * Cleanup that must run however a Node process ends: a normal exit, or SIGINT / SIGTERM / SIGHUP (after
 * which the signal is raised again, so the process still ends the way it was asked to). It works where
 * the code runs in the real process (benchmarks under tsx). Inside jest it never fires: a test file's
 * `process` is a sandboxed copy that sees no signals, so what must not outlive a test run (moto) also
 * watches its parent process itself. A SIGKILL runs nothing anywhere.
 */
const callbacks = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch {
      // Best effort: one failing cleanup must not stop the others.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      runAll();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Runs `callback` (synchronously) when the process ends; returns a function that cancels it. */
export function onProcessEnd(callback: () => void): () => void {
  install();
  callbacks.add(callback);
  return () => callbacks.delete(callback);
}
