/**
 * Child processes with a hard deadline: each runs in its own process group so that a timeout
 * kills it together with everything it started (a shell, a native solver).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Whether subprocesses get their own process group (default) or stay in ours. An isolated
 * bench run is itself a process group that the harness kills as a whole at its cap, so there
 * subprocesses must stay in it (a nested group would survive the kill).
 */
let ownGroups = true;

/** Keeps later subprocesses in this process's group (called by `bench-run`). */
export function keepSubprocessesInGroup(): void {
  ownGroups = false;
}

/** What a finished (or killed) process left behind. */
export interface ProcessOutcome {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code; null when killed by a signal. */
  readonly code: number | null;
  /** True when the deadline passed and the process group was killed. */
  readonly timedOut: boolean;
  /** Set when the program could not be started (e.g. `ENOENT`: not on PATH). */
  readonly spawnError?: NodeJS.ErrnoException;
  /** Wall-clock milliseconds from spawn to exit. */
  readonly wallMs: number;
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  /** Kill the process group after this many milliseconds. Required: nothing here runs unbounded. */
  readonly timeoutMs: number;
  /** Run `command` through `/bin/sh -c` (then `args` must be empty). Default false. */
  readonly shell?: boolean;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep at most this many characters of each stream (the tail is dropped). Default 16 MiB. */
  readonly maxOutput?: number;
}

/**
 * Runs a program to completion or to its deadline; never rejects. At the deadline the program
 * is SIGKILLed with its process group (its own group unless {@link keepSubprocessesInGroup}).
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessOutcome> {
  const started = performance.now();
  const max = options.maxOutput ?? 16 * 1024 * 1024;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(command, [...args], {
      shell: options.shell === true,
      detached: ownGroups,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    child.stdout?.setEncoding('utf8').on('data', (s: string) => { if (stdout.length < max) stdout += s; });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => { if (stderr.length < max) stderr += s; });
    const kill = (): void => {
      if (ownGroups) killGroup(child);
      else child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const finish = (code: number | null, spawnError?: NodeJS.ErrnoException): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Anything the program left running in its own group goes too.
      if (ownGroups) killGroup(child);
      resolve({ stdout, stderr, code, timedOut, wallMs: performance.now() - started, ...(spawnError === undefined ? {} : { spawnError }) });
    };
    child.on('error', (error: NodeJS.ErrnoException) => finish(null, error));
    child.on('close', (code) => finish(code));
  });
}

/** SIGKILLs the child's whole process group (it was spawned detached, so it leads one). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Quotes a string for `/bin/sh`. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Last non-empty line of a text, trimmed, at most 200 characters (for one-line reasons). */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines[lines.length - 1] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * The most telling line of a failed program's stderr: the first that names an error (a
 * `SomethingError:` line or our CLI's `bundle-auction:` line), else the last line.
 */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.find((l) => /^(bundle-auction:|[A-Za-z]*Error\b|Error \[)/.test(l)) ?? lines[lines.length - 1] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
