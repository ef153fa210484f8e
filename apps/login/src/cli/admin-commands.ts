import { randomBytes } from 'node:crypto';
import type { Db } from '@pupero/db';
import { AppError } from '@pupero/http';
import { register } from '../accounts/account.js';
import { addRole, GRANTABLE_ROLES, grantRole, revokeRole, UnknownUserError, type GrantableRole } from '../accounts/roles.js';
import { findUserByUsername, listUsersWithExtraRoles } from '../accounts/users-store.js';
import { createSecretBox } from '../shared/secret-box.js';
import { KeyRing } from '../tokens/keyring.js';
import { recordEvent } from '../audit/audit-store.js';
import { revokeOtherSessions } from '../sessions/sessions-store.js';
import { deactivateSecret } from '../two-factor/two-factor-store.js';
import type { LoginConfig } from '../config.js';

export const USAGE = `usage: npm run admin -- <command>
  create <username>            create an admin account. The password comes from PUPERO_ADMIN_PASSWORD,
                               or stdin (echo "$PW" | npm run admin -- create alice), or is generated
                               and printed once.
  grant <username> <role>      give a role (${GRANTABLE_ROLES.join(' | ')})
  revoke <username> <role>     take a role away (tokens already issued keep it for up to 15 minutes)
  list                         accounts that have the moderator or admin role
  reset-2fa <username>         turn a user's 2FA off and end their sessions (account recovery, after
                               you have verified who is asking)
  rotate-signing-key           make a new token-signing key now (running servers pick it up within a minute)
The database is the server's: DATABASE_URL, or the embedded one under DATA_DIR (stop the server first).`;

export interface CliIo {
  out(line: string): void;
  /** The password from the environment or stdin, if one was given. */
  readPassword(): Promise<string | undefined>;
}

export class UsageError extends Error {}

/** A strong password for a new admin: 144 random bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

function role(value: string | undefined): GrantableRole {
  if (!GRANTABLE_ROLES.includes(value as GrantableRole)) throw new UsageError(`The role must be one of: ${GRANTABLE_ROLES.join(', ')}.`);
  return value as GrantableRole;
}

function argument(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`Missing ${what}.`);
  return value;
}

/** Runs one admin command against an open, migrated database. Errors are thrown with a readable message. */
export async function runAdminCommand(
  db: Db,
  args: string[],
  io: CliIo,
  config: Pick<LoginConfig, 'LOGIN_SECRETS_KEY' | 'ACCESS_TOKEN_TTL_SECONDS' | 'SIGNING_KEY_ROTATION_DAYS'>,
): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case 'create': {
      const username = argument(rest[0], 'the username');
      if (await findUserByUsername(db, username)) {
        throw new UsageError(`"${username}" already exists; to make it an admin run: npm run admin -- grant ${username} admin`);
      }
      const given = await io.readPassword();
      const password = given ?? generatePassword();
      const user = await register(db, { username, password }, null, { allowReserved: true, via: 'admin_cli' });
      await db.transaction((tx) => addRole(tx, user.id, 'admin', 'admin-cli'));
      io.out(`Created admin "${user.username}" (id ${user.id}).`);
      if (!given) io.out(`Generated password (shown only this once; store it now): ${password}`);
      io.out('Log in and turn on two-factor authentication for this account.');
      return;
    }
    case 'grant':
    case 'revoke': {
      const username = argument(rest[0], 'the username');
      const r = role(rest[1]);
      await (command === 'grant' ? grantRole(db, username, r) : revokeRole(db, username, r));
      io.out(command === 'grant' ? `"${username}" now has the ${r} role.` : `"${username}" no longer has the ${r} role.`);
      return;
    }
    case 'list': {
      const staff = await listUsersWithExtraRoles(db);
      if (staff.length === 0) io.out('No account has the moderator or admin role yet (npm run admin -- create <username>).');
      for (const user of staff) {
        io.out(
          `${user.username.padEnd(32)} ${user.roles.join(',').padEnd(20)} 2fa:${user.totpSecret !== null ? 'on ' : 'off'}  created ${user.createdAt.toISOString()}`,
        );
      }
      return;
    }
    case 'reset-2fa': {
      const username = argument(rest[0], 'the username');
      const user = await findUserByUsername(db, username);
      if (!user) throw new UnknownUserError(username);
      const ended = await db.transaction(async (tx) => {
        await deactivateSecret(tx, user.id);
        await recordEvent(tx, { userId: user.id, type: 'two_factor_disabled', details: { by: 'admin-cli' } });
        return revokeOtherSessions(tx, user.id, null, 'admin_action');
      });
      io.out(
        `Two-factor authentication of "${user.username}" is off; ${ended} session(s) ended. They should turn it on again after logging in.`,
      );
      return;
    }
    case 'rotate-signing-key': {
      const ring = new KeyRing(db, createSecretBox(config.LOGIN_SECRETS_KEY), {
        tokenLifetimeSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        rotationDays: config.SIGNING_KEY_ROTATION_DAYS,
      });
      io.out(`New signing key ${await ring.rotate()}; older keys stay published until their tokens expire.`);
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
}

/** A message for any error a command can end with (no stack traces for expected mistakes). */
export function describeError(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\n\n${USAGE}`;
  if (error instanceof AppError || error instanceof UnknownUserError) return error.message;
  return `Failed: ${(error as Error)?.message ?? String(error)}`;
}
