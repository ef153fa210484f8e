import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/**
 * A TOTP code from Debian's oathtool: an implementation independent of the one under test.
 * `stepsAhead` = 1 gives the next 30-second window's code (servers accept ±1 step), so a second
 * login right after enabling 2FA does not reuse (replay) the code that enabled it.
 */
export async function totp(secret: string, stepsAhead = 0): Promise<string> {
  const args = ['--totp', '-b'];
  if (stepsAhead) args.push('-N', `now + ${stepsAhead * 30} seconds`);
  const { stdout } = await execFileP('oathtool', [...args, secret.replace(/\s/g, '')], { timeout: 10_000 });
  const code = stdout.trim();
  if (!/^\d{6}$/.test(code)) throw new Error(`oathtool gave "${code}"`);
  return code;
}

/** The TOTP step (30-second window) of a time. */
export const totpStep = (ms = Date.now()) => Math.floor(ms / 30_000);

/**
 * A code the server has not seen yet: the server accepts each step once and never an older one,
 * so after a code of `lastUsedStep` this waits (when needed) until the next window's code is
 * newer. Returns the code and an upper bound of its step (for the next call).
 */
export async function totpAfter(secret: string, lastUsedStep: number): Promise<{ code: string; step: number }> {
  while (totpStep() < lastUsedStep) await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 100));
  const code = await totp(secret, 1);
  return { code, step: totpStep() + 1 };
}
