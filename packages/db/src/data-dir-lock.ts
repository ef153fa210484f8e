import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The embedded PGlite database can be opened by one process only, and PGlite itself does not stop
 * a second one (both would write the same files). The server and the admin CLI therefore take this
 * lock file beside it. Within one process the lock is shared (the services share one handle).
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly lockFile: string,
    holder: LockHolder,
  ) {
    const what = holder.owner.includes('CLI') ? 'wait for it to finish' : 'stop the server first or use DATABASE_URL (PostgreSQL)';
    super(
      `The embedded database in ${resolve(lockFile, '..')} is in use by ${holder.owner} (pid ${holder.pid}, since ${holder.since}): ` +
        `${what}. If no such process runs, delete ${lockFile}.`,
    );
    this.name = 'DatabaseInUseError';
  }
}

interface LockHolder {
  pid: number;
  owner: string;
  since: string;
}

const held = new Map<string, number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, owner: String(parsed.owner ?? 'another process'), since: String(parsed.since ?? '?') }
      : undefined;
  } catch {
    return undefined;
  }
}

export function lockFileOf(dataDir: string): string {
  return resolve(join(dataDir, 'pglite.lock'));
}

/** Takes the lock of the embedded database under dataDir, or throws DatabaseInUseError. */
export function acquireDataDirLock(dataDir: string, owner: string): { release(): void } {
  const file = lockFileOf(dataDir);
  const release = () => {
    const count = (held.get(file) ?? 1) - 1;
    if (count > 0) return void held.set(file, count);
    held.delete(file);
    if (readHolder(file)?.pid === process.pid) unlinkSync(file);
  };
  if (held.has(file)) {
    held.set(file, held.get(file)! + 1);
    return { release };
  }
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, owner, since: new Date().toISOString() }), { flag: 'wx' });
      held.set(file, 1);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new DatabaseInUseError(file, holder);
      unlinkSync(file); // stale: its process is gone (or it is ours from before a crash-restart)
    }
  }
  throw new Error(`could not take the database lock ${file}`);
}
