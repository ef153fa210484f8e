import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StackProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has ended. */
  exited: Promise<ProcessExit>;
  /** Sends a signal (SIGTERM by default) unless it already ended, and waits for the end. */
  stop(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

/** Runs a TypeScript entry point as its own process with exactly this environment (plus PATH and HOME). */
export function spawnScript(script: string, args: string[], env: Record<string, string | undefined>): StackProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<ProcessExit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts `main.ts <parts...>` as its own process (for run-mode tests). */
export function spawnStack(parts: string[], env: Record<string, string | undefined>): StackProcess {
  return spawnScript(MAIN, parts, env);
}

/** Polls url until it answers 200, or throws with the processes' output after timeoutMs. */
export async function waitForOk(url: string, timeoutMs: number, describe: () => string = () => ''): Promise<number> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return Date.now() - t0;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${last})\n${describe()}`);
}
