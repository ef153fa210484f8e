import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '@pupero/db';
import { createTestDb } from '@pupero/db/testing';
import { migrations } from '../migrations.js';
import { findUserByUsername } from '../accounts/users-store.js';
import { verifyPassword } from '../accounts/password-hashing.js';
import { lockFileOf } from '@pupero/db';
import { describeError, runAdminCommand, type CliIo } from './admin-commands.js';

const config = { LOGIN_SECRETS_KEY: undefined, ACCESS_TOKEN_TTL_SECONDS: 900, SIGNING_KEY_ROTATION_DAYS: 90 };

describe('admin CLI commands', () => {
  // The per-file test database of every store test (createTestDb + this service's migrations), inline like the others.
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
    await migrate(db, 'login', migrations);
  });
  afterAll(async () => {
    await db?.close();
  });

  async function run(args: string[], password?: string) {
    const lines: string[] = [];
    const io: CliIo = { out: (line) => lines.push(line), readPassword: async () => password };
    try {
      await runAdminCommand(db, args, io, config);
      return { ok: true, lines };
    } catch (error) {
      return { ok: false, lines, error: describeError(error) };
    }
  }

  it('create makes an admin with the given password (reserved names allowed here)', async () => {
    const res = await run(['create', 'admin'], 'a-long-admin-passphrase');
    expect(res.ok).toBe(true);
    expect(res.lines.join('\n')).not.toMatch(/Generated password/);
    const user = await findUserByUsername(db, 'ADMIN');
    expect(user?.roles).toEqual(['user', 'admin']);
    expect(await verifyPassword(user!.passwordHash, 'a-long-admin-passphrase')).toBe(true);
  });

  it('create generates a strong password and prints it once when none is given', async () => {
    const res = await run(['create', 'root_ops']);
    const line = res.lines.find((l) => l.startsWith('Generated password'))!;
    const password = line.split(': ')[1];
    assert(password, 'the generated password is printed');
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(res.lines.filter((l) => l.includes(password))).toHaveLength(1);
    expect(await verifyPassword((await findUserByUsername(db, 'root_ops'))!.passwordHash, password)).toBe(true);
  });

  it('create refuses weak passwords, bad names and existing users, saying why', async () => {
    expect((await run(['create', 'opsy'], 'password123')).error).toMatch(/most common/);
    expect((await run(['create', 'x'], 'a-long-admin-passphrase')).error).toMatch(/3 to 32 characters/);
    expect((await run(['create', 'Admin'], 'a-long-admin-passphrase')).error).toMatch(/already exists.*grant Admin admin/);
  });

  it('grant, revoke and list (case-insensitive usernames); unknown users and roles are clear errors', async () => {
    await run(['create', 'mod_jane'], 'a-long-admin-passphrase');
    await run(['revoke', 'MOD_JANE', 'admin']);
    expect((await run(['grant', 'Mod_Jane', 'moderator'])).lines).toEqual(['"Mod_Jane" now has the moderator role.']);
    expect((await findUserByUsername(db, 'mod_jane'))?.roles).toEqual(['user', 'moderator']);
    const list = await run(['list']);
    expect(list.lines.find((l) => l.startsWith('mod_jane'))).toMatch(/user,moderator\s+2fa:off/);
    expect(list.lines.find((l) => l.startsWith('admin '))).toMatch(/user,admin/);
    expect((await run(['grant', 'nobody_here', 'admin'])).error).toMatch(/No user named "nobody_here"/);
    expect((await run(['grant', 'mod_jane', 'superuser'])).error).toMatch(/role must be one of: moderator, admin/);
    expect((await run(['frobnicate'])).error).toMatch(/Unknown command "frobnicate"[\s\S]*usage: npm run admin/);
  });

  it('reset-2fa turns 2FA off and ends the sessions (account recovery)', async () => {
    await run(['create', 'lost_phone'], 'a-long-admin-passphrase');
    const user = (await findUserByUsername(db, 'lost_phone'))!;
    await db.query(`UPDATE login.users SET totp_secret = 'plain:JBSWY3DPEHPK3PXP', totp_enabled_at = now() WHERE id = $1`, [user.id]);
    await db.query(`INSERT INTO login.sessions (id, user_id, expires_at) VALUES (gen_random_uuid(), $1, now() + interval '1 day')`, [
      user.id,
    ]);
    const res = await run(['reset-2fa', 'LOST_PHONE']);
    expect(res.lines[0]).toMatch(/is off; 1 session\(s\) ended/);
    expect((await findUserByUsername(db, 'lost_phone'))?.totpSecret).toBeNull();
    const { rows } = await db.query('SELECT 1 FROM login.sessions WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
    expect(rows).toHaveLength(0);
    expect((await run(['reset-2fa', 'nobody_here'])).error).toMatch(/No user named/);
  });

  it('rotate-signing-key adds a key', async () => {
    const before = (await db.query('SELECT kid FROM login.signing_keys')).rows.length;
    const res = await run(['rotate-signing-key']);
    expect(res.lines[0]).toMatch(/^New signing key /);
    expect((await db.query('SELECT kid FROM login.signing_keys')).rows.length).toBe(before + 1);
  });
});

describe('admin CLI process', () => {
  it('refuses to open the embedded database while the server holds it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pupero-cli-'));
    const server = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFileOf(dataDir), JSON.stringify({ pid: server.pid, owner: 'the Pupero server', since: 'now' }));
      const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'apps/login/src/cli/admin.ts', 'list'], {
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/in use by the Pupero server.*stop the server first or use DATABASE_URL/);
    } finally {
      server.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
