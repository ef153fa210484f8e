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
