// Long-running component processes: started in their own process group (so a signal to the launcher's group does
// not reach them), output appended to a log file, stopped by PID with SIGTERM and a SIGKILL fallback.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface StartedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Set once the process has exited while this launcher is still running. */
  exited: () => { code: number | null; signal: string | null } | undefined;
}

export function startProcess(
  name: string,
  binary: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv,
  /** The working directory, for programs that read and write relative paths (pilot-agent); ours by default. */
  cwd?: string,
): StartedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd], env, ...(cwd ? { cwd } : {}) });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${binary}); see ${logFile}`);
  let exit: { code: number | null; signal: string | null } | undefined;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  child.on('error', () => (exit = { code: null, signal: null }));
  child.unref();
  return { name, pid: child.pid, logFile, exited: () => exit };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` is still the process we started: a recycled PID would run a different command line. */
export function isOurs(pid: number, binaryPrefix: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(binaryPrefix);
  } catch {
    return false;
  }
}

export async function stopProcess(pid: number, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await delay(50);
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await delay(20);
}

export function logTail(logFile: string, lines = 20): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resolves once `url` answers 2xx; fails fast if `p` exits, and after `timeoutMs` with the end of its log. */
export async function waitForHttpOk(url: string, p: StartedProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.exited()) throw new Error(`${p.name} exited at start:\n${logTail(p.logFile)}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await delay(100);
  }
  throw new Error(`${p.name} was not ready within ${timeoutMs / 1000} s:\n${logTail(p.logFile)}`);
}
