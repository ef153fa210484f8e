import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DatabaseInUseError, lockFileOf } from './data-dir-lock.js';

describe('data dir lock', () => {
  // The temp-dir bookkeeping of packages/monero's regtest.test.ts too: four lines, and the two packages share no test support.
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pupero-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is shared within a process and removed when the last holder releases it', () => {
    const dir = tempDir();
    const a = acquireDataDirLock(dir, 'server');
    const b = acquireDataDirLock(dir, 'server');
    expect(JSON.parse(readFileSync(lockFileOf(dir), 'utf8')).pid).toBe(process.pid);
    a.release();
    expect(existsSync(lockFileOf(dir))).toBe(true);
    b.release();
    expect(existsSync(lockFileOf(dir))).toBe(false);
  });

  it('refuses while another live process holds it, naming what to do', async () => {
    const dir = tempDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFileOf(dir), JSON.stringify({ pid: other.pid, owner: 'the Pupero server', since: 'now' }));
      expect(() => acquireDataDirLock(dir, 'admin CLI')).toThrow(DatabaseInUseError);
      expect(() => acquireDataDirLock(dir, 'admin CLI')).toThrow(/stop the server first or use DATABASE_URL/);
    } finally {
      other.kill();
    }
  });

  it('takes over a stale lock whose process is gone', async () => {
    const dir = tempDir();
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(lockFileOf(dir), JSON.stringify({ pid: gone.pid, owner: 'a crashed server', since: 'then' }));
    const lock = acquireDataDirLock(dir, 'admin CLI');
    expect(JSON.parse(readFileSync(lockFileOf(dir), 'utf8')).owner).toBe('admin CLI');
    lock.release();
  });
});
