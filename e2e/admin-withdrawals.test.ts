/**
 * The web admin page's "Stuck withdrawals" section in a real browser (no chain needed:
 * MONERO_MODE=disabled): an admin sees a withdrawal stuck after failed attempts, fails it with a
 * reason, and the owner's funds come back (the audit trail lists the action).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort, startTestStack, type TestStack } from '@pupero/stack/testing';
import type { PuperoService } from '@pupero/http';
import { fund, internalCall } from '@pupero/transactions/testing/helpers';
import { DESKTOP, launchBrowser, newActor, type Actor } from './support/browser.js';
import { buildWebApp, startWebServer } from './support/web.js';

describe('web admin: stuck withdrawals', () => {
  let stack: TestStack;
  let web: { url: string; service: PuperoService };
  let dist: Awaited<ReturnType<typeof buildWebApp>>;
  let browser: Browser;
  let actor: Actor | undefined;

  beforeAll(async () => {
    const [built, webPort] = await Promise.all([buildWebApp(), freePort()]);
    dist = built;
    stack = await startTestStack({
      services: ['login', 'transactions', 'wallet-manager'],
      env: { WEB_ORIGIN: `http://127.0.0.1:${webPort}` },
    });
    web = await startWebServer(stack.common, dist.distDir, webPort);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await actor?.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await web?.service.app.close().catch(() => undefined);
    await stack?.close();
    await dist?.remove();
  }, 60_000);

  it('lists a stuck withdrawal and fails it with a reason; the owner gets the funds back', async () => {
    const owner = await stack.newUser('stuckowner');
    await fund(stack, owner, '5');
    const id = randomUUID();
    expect(
      (
        await internalCall(stack, 'POST', '/internal/ledger/withdrawals/hold', {
          withdrawal_id: id,
          user_id: owner.id,
          amount: '2',
          fee: '0.01',
        })
      ).status,
    ).toBe(200);
    await stack.db.query(
      `INSERT INTO wallet.withdrawals (id, user_id, address, amount, fee, status, idempotency_key, request_hash, attempts, last_error)
       VALUES ($1, $2, $3, 2000000000000, 10000000000, 'queued', $1, 'h', 4, 'wallet unavailable: transfer failed')`,
      [id, owner.id, '4'.padEnd(95, 'A')],
    );
    const admin = await stack.grantRole(await stack.newUser('stuckadmin'), 'admin');

    actor = await newActor(browser, 'admin-stuck', DESKTOP);
    const page = actor.page;
    await page.goto(`${web.url}/login`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('link', { name: 'Admin', exact: true }).click();

    const table = page.getByTestId('stuck-withdrawals');
    await table.getByText('4 failed attempt(s).').waitFor();
    await table.getByText('wallet unavailable: transfer failed').waitFor();
    await actor.shot('stuck-withdrawals');
    await table.getByRole('button', { name: 'Fail' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason (kept in the audit trail)').fill('The destination refuses payments.');
    await dialog.getByRole('button', { name: 'Fail withdrawal' }).click();
    // Exact: the operator-actions list below also quotes this outcome, once it has reloaded.
    await page.getByText('failed: it was never signed; hold released', { exact: true }).waitFor();
    await page.getByText('No stuck withdrawals.').waitFor();
    await page.getByText('Recent operator actions').click();
    await page.getByText(/fail of .* “The destination refuses payments\.”/).waitFor();
    await actor.shot('stuck-withdrawal-failed');

    const mine = await stack.request('GET', `/wallet/withdrawals/${id}`, undefined, { token: owner.token });
    expect(mine.body).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/The destination refuses payments\./) });
    expect((await stack.request('GET', '/balance', undefined, { token: owner.token })).body).toMatchObject({ available: '5', held: '0' });
    expect(actor.pageErrors).toEqual([]);
    expect(actor.offsite).toEqual([]);
  }, 120_000);
});
