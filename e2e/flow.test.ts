/**
 * The whole flow in a real browser (Debian's chromium via playwright-core) over the running stack
 * on the regtest chain: A registers on a laptop-sized screen, turns on 2FA (codes from oathtool),
 * gets XMR from the dev faucet and publishes a sell offer; B, on a phone-sized screen, registers
 * and buys; B marks paid, A releases, B sees the XMR and withdraws it to a wallet outside Pupero
 * until the withdrawal is confirmed with its txid. An admin then verifies the ledger.
 * Screenshots of every page: test-output/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { freePort, startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import type { PuperoService } from '@pupero/http';
import { DESKTOP, launchBrowser, newActor, PHONE, type Actor } from './support/browser.js';
import { totp, totpAfter, totpStep } from './support/totp.js';
import { buildWebApp, startWebServer } from './support/web.js';
import { startOutsideWallet, type OutsideWallet } from './support/outside-wallet.js';

const DEPOSIT_CONFIRMATIONS = 2;
const WITHDRAWAL_CONFIRMATIONS = 2;
const FAUCET_XMR = '10';
const TRADE_XMR = '1.5';
const PRICE_EUR = '150';
const WITHDRAW_XMR = '1';

const timings: Record<string, number> = {};
/** Every browser actor, so a failing step can photograph all of them. */
const actors: Actor[] = [];

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } catch (error) {
    const label = `FAILED-${name.replace(/[^a-z0-9]+/gi, '-')}`;
    await Promise.all(actors.map((a) => a.shot(label).catch(() => undefined)));
    throw error;
  } finally {
    timings[name] = Date.now() - t0;
  }
}

/** Waits for a locator's text to match, reloading nothing: the page must update by itself. */
async function expectText(locator: Locator, pattern: RegExp, timeout = 15_000): Promise<void> {
  await locator.filter({ hasText: pattern }).first().waitFor({ state: 'visible', timeout });
}

function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
}

const PASSWORD = 'correct-horse-battery-staple-42';

describe('web app: the whole flow in a browser on the regtest chain', () => {
  let stack: TestStack;
  let web: { url: string; service: PuperoService };
  let dist: Awaited<ReturnType<typeof buildWebApp>>;
  let browser: Browser;
  let outsideReady: Promise<OutsideWallet>;
  const t0 = Date.now();

  beforeAll(async () => {
    const [built, webPort] = await Promise.all([step('build web app', () => buildWebApp()), freePort()]);
    dist = built;
    const webOrigin = `http://127.0.0.1:${webPort}`;
    stack = await step('start stack (4 services + gateway + regtest chain)', () =>
      startTestStack({
        services: ['login', 'offers', 'transactions', 'wallet-manager'],
        env: {
          MONERO_MODE: 'managed',
          DEPOSIT_CONFIRMATIONS: String(DEPOSIT_CONFIRMATIONS),
          WITHDRAWAL_CONFIRMATIONS: String(WITHDRAWAL_CONFIRMATIONS),
          DEV_AUTO_MINE_SECONDS: '1',
          DEPOSIT_POLL_MS: '500',
          WITHDRAWAL_POLL_MS: '500',
          WEB_ORIGIN: webOrigin,
        },
      }),
    );
    web = await startWebServer(stack.common, dist.distDir, webPort);
    browser = await step('launch chromium', () => launchBrowser());
    // Creating a wallet takes a while (key generation): it runs while the browser works.
    outsideReady = step('outside wallet ready', () => startOutsideWallet(stack));
    outsideReady.catch(() => undefined);
  }, 180_000);

  afterAll(async () => {
    for (const actor of actors) await actor.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await outsideReady?.then((o) => o.stop()).catch(() => undefined);
    await web?.service.app.close().catch(() => undefined);
    await stack?.close();
    await dist?.remove();
    timings.total = Date.now() - t0;
    console.log(`e2e timings (ms): ${JSON.stringify(timings)}`);
  }, 60_000);

  // Shared by the tests below (they run in order, on one stack).
  let A: Actor;
  let B: Actor;
  const aliceName = uniqueName('alice');
  const bobName = uniqueName('bob');
  const go = (actor: Actor, path: string) => actor.page.goto(`${web.url}${path}`);

  /** A new desktop browser actor, logged in through the login page as `user` (the staff steps). */
  async function loggedInActor(name: string, user: TestUser): Promise<Actor> {
    const actor = await newActor(browser, name, DESKTOP);
    actors.push(actor);
    await go(actor, '/login');
    await actor.page.getByLabel('Username').fill(user.username);
    await actor.page.getByLabel('Password').fill(user.password);
    await actor.page.getByRole('button', { name: 'Log in', exact: true }).click();
    return actor;
  }

  it('A sells XMR to B through the web app; B withdraws it on-chain', async () => {
    A = await newActor(browser, 'A-desktop', DESKTOP);
    B = await newActor(browser, 'B-phone', PHONE);
    actors.push(A, B);

    // ---- A registers ----
    await step('A registers', async () => {
      await go(A, '/register');
      await A.page.getByLabel('Username').fill(aliceName);
      await A.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await A.page.getByLabel('Repeat password').fill(PASSWORD);
      await A.shot('register');
      await A.page.getByRole('button', { name: 'Create account' }).click();
      await A.page.waitForURL('**/wallet');
      await A.page.getByRole('heading', { name: 'Wallet', level: 1 }).waitFor();
    });

    // ---- A: the dev chain banner and the faucet ----
    await step('A uses the faucet', async () => {
      const banner = A.page.getByRole('complementary', { name: 'Dev chain tools' });
      await banner.waitFor();
      await banner.getByLabel('Faucet amount in XMR').fill(FAUCET_XMR);
      await banner.getByRole('button', { name: 'Get test XMR' }).click();
      await expectText(banner, /Sent 10 XMR to your deposit address/, 60_000);
      await A.page.getByTestId('deposit-address').waitFor();
      await A.shot('wallet-faucet');
    });

    // ---- A turns on 2FA with a code from oathtool ----
    const secret = await step('A enables 2FA', async () => {
      await A.page.getByRole('link', { name: 'Security', exact: true }).click();
      await A.page.getByRole('button', { name: 'Set up 2FA' }).click();
      const secretEl = A.page.getByTestId('totp-secret');
      await secretEl.waitFor();
      const value = (await secretEl.getAttribute('data-secret'))!;
      expect((await secretEl.textContent())!.replace(/\s/g, '')).toBe(value);
      await A.page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      await A.shot('2fa-setup');
      await A.page.getByLabel('Code from the app').fill(await totp(value));
      await A.page.getByRole('button', { name: 'Turn on 2FA' }).click();
      const codes = A.page.getByTestId('recovery-codes').locator('li');
      await codes.first().waitFor();
      expect(await codes.count()).toBe(10);
      await A.shot('2fa-recovery-codes');
      await A.page.getByRole('button', { name: 'I have saved them' }).click();
      await expectText(A.page.locator('.event-list'), /2FA turned on/);
      await A.shot('security');
      return value;
    });

    // ---- A logs out and back in: the 2FA step (next window's code: no replay of the last one) ----
    const loginStep = await step('A logs in with 2FA', async () => {
      await A.page.getByRole('button', { name: 'Log out' }).click();
      await A.page.waitForURL('**/login');
      // Keyboard only: the username field has focus, Tab moves on, Enter submits.
      await A.page.getByLabel('Username').waitFor();
      await A.page.keyboard.type(aliceName);
      await A.page.keyboard.press('Tab');
      await A.page.keyboard.type(PASSWORD);
      await A.page.keyboard.press('Enter');
      const codeField = A.page.getByLabel('Authentication code');
      await codeField.waitFor();
      await A.shot('login-2fa-step');
      await A.page.keyboard.type(await totp(secret, 1)); // the code field has focus
      const used = totpStep() + 1; // (an upper bound of) the step of the code just typed
      await A.page.keyboard.press('Enter');
      await A.page.getByRole('heading', { name: 'Buy Monero', level: 1 }).waitFor();
      return used;
    });

    // ---- A's deposit is credited after the confirmations ----
    await step('A deposit credited', async () => {
      await A.page.getByRole('link', { name: 'Wallet', exact: true }).click();
      await expectText(A.page.getByTestId('balance-available'), /^10\.0000 XMR$/, 90_000);
      await A.shot('wallet-credited');
    });

    // ---- A publishes a sell offer ----
    await step('A publishes an offer', async () => {
      await A.page.getByRole('link', { name: 'My offers', exact: true }).click();
      await A.page.getByRole('heading', { name: 'My offers' }).waitFor();
      await A.page.getByText('You have no offers yet.').waitFor();
      await A.page.getByRole('link', { name: 'Create offer', exact: true }).click();
      await A.page.getByRole('heading', { name: 'Create an offer' }).waitFor();
      await A.page.getByLabel('Currency').selectOption('EUR');
      await A.page.getByLabel('Payment method').selectOption('sepa');
      await A.page.getByLabel('Price per XMR (EUR)').fill(PRICE_EUR);
      await A.page.getByLabel('Minimum per trade (XMR)').fill('0.1');
      await A.page.getByLabel('Maximum per trade (XMR)').fill('2');
      await A.page.getByLabel('Terms (optional)').fill('SEPA only, from an account in your own name.\nReference: the trade id.');
      await A.shot('offer-form');
      await A.page.getByRole('button', { name: 'Publish offer' }).click();
      await A.page.waitForURL('**/my/offers');
      const card = A.page.getByTestId('my-offer');
      await expectText(card, /Selling XMR for EUR/);
      // Pause hides it from the market; resume shows it again.
      await card.getByRole('button', { name: 'Pause' }).click();
      await expectText(card, /paused/);
      await card.getByRole('button', { name: 'Resume' }).click();
      await expectText(card, /active/);
      await A.shot('my-offers');
    });

    // ---- B registers on a phone and finds the offer ----
    const tradeUrl = await step('B registers and starts a trade', async () => {
      await go(B, '/register');
      await B.page.getByLabel('Username').fill(bobName);
      // A common password is refused by the server; the reason shows under the password field.
      await B.page.getByLabel('Password', { exact: true }).fill('password123');
      await B.page.getByLabel('Repeat password').fill('password123');
      await B.page.getByRole('button', { name: 'Create account' }).click();
      const passwordError = B.page.locator('.field-error');
      await passwordError.first().waitFor();
      expect(await B.page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await B.shot('register-weak-password');
      await B.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await B.page.getByLabel('Repeat password').fill(PASSWORD);
      await B.page.getByRole('button', { name: 'Create account' }).click();
      await B.page.waitForURL('**/wallet');
      await B.page.getByTestId('balance-available').waitFor();
      await B.shot('wallet-empty');
      // On a phone the navigation folds into a menu button.
      await B.page.getByRole('button', { name: 'Menu' }).click();
      await B.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Market', exact: true }).waitFor();
      await B.shot('menu-open');
      await B.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Market', exact: true }).click();
      await B.page.getByRole('heading', { name: 'Buy Monero', level: 1 }).waitFor();
      await B.page.getByLabel('Currency').selectOption('EUR');
      await B.page.waitForURL('**/?currency=EUR');
      const row = B.page.getByTestId('offer-row').filter({ hasText: aliceName });
      await row.waitFor();
      await expectText(row, /150\.00 EUR/);
      await B.shot('market');
      await row.getByRole('link', { name: /Buy XMR/ }).click();
      await B.page.getByRole('heading', { name: `Buy XMR from ${aliceName}` }).waitFor();
      await B.page.getByLabel('Amount (XMR)').fill('5');
      await B.page.getByLabel('Amount (XMR)').blur();
      await B.page.getByText('The maximum is 2 XMR.').waitFor();
      await B.page.getByLabel('Amount (XMR)').fill(TRADE_XMR);
      await expectText(B.page.getByTestId('fiat-total'), /You pay: 225\.00 EUR/);
      await B.shot('offer-detail');
      await B.page.getByRole('button', { name: 'Start trade: buy XMR' }).click();
      await B.page.waitForURL('**/trades/*');
      await expectText(B.page.getByTestId('trade-status'), /Waiting for payment/);
      await expectText(B.page.getByTestId('next-step'), /Your move/);
      await B.page.getByText(/Time left to pay:/).waitFor();
      await B.shot('trade-escrowed');
      return B.page.url();
    });
    const tradePath = new URL(tradeUrl).pathname;

    // ---- A sees the new trade (held in escrow) ----
    await step('A sees the trade', async () => {
      await A.page.getByRole('link', { name: 'My trades', exact: true }).click();
      const row = A.page.getByTestId('trade-row').filter({ hasText: bobName });
      await row.waitFor();
      await A.shot('my-trades');
      await row.click();
      await A.page.waitForURL(`**${tradePath}`);
      await expectText(A.page.getByTestId('next-step'), /Waiting for the buyer/);
      await A.page.getByText('● Live').waitFor();
      // No release before the buyer says they paid.
      expect(await A.page.getByRole('button', { name: 'I received money' }).count()).toBe(0);
    });

    // ---- B pays and says so; chats ----
    await step('B marks paid', async () => {
      await B.page.getByRole('textbox', { name: 'Your message' }).fill('Sent 225 EUR by SEPA, reference is the trade id.');
      await B.page.getByRole('button', { name: 'Send', exact: true }).click();
      await B.page.getByText('Sent 225 EUR by SEPA, reference is the trade id.').waitFor();
      await B.page.getByRole('button', { name: 'I sent money' }).click();
      const dialog = B.page.getByRole('dialog', { name: 'Confirm that you sent the money' });
      await dialog.waitFor();
      await B.shot('confirm-paid');
      await dialog.getByRole('button', { name: 'Yes, I sent the money' }).click();
      await expectText(B.page.getByTestId('trade-status'), /Payment sent/);
      expect(await B.page.getByRole('button', { name: 'I sent money' }).count()).toBe(0);
    });

    // ---- A's trade room updates live; A releases ----
    await step('A releases', async () => {
      await expectText(A.page.getByTestId('trade-status'), /Payment sent/);
      await A.page.getByText('Sent 225 EUR by SEPA, reference is the trade id.').waitFor();
      await expectText(A.page.getByTestId('next-step'), /Your move/);
      await A.shot('trade-paid');
      await A.page.getByRole('button', { name: 'I received money' }).click();
      const dialog = A.page.getByRole('dialog', { name: 'Release the XMR to the buyer?' });
      await dialog.getByText('This cannot be undone.').waitFor();
      // A has 2FA on: releasing sends A's XMR away, so it needs a fresh code (not the login's).
      const release = dialog.getByRole('button', { name: 'Release XMR' });
      expect(await release.isDisabled()).toBe(true);
      const wrong = (await totp(secret)) === '000000' ? '111111' : '000000';
      await dialog.getByLabel('2FA code').fill(wrong);
      await release.click();
      await expectText(dialog.getByRole('alert'), /not valid/);
      expect(await A.page.getByTestId('trade-status').textContent()).toMatch(/Payment sent/);
      const { code } = await totpAfter(secret, loginStep);
      await dialog.getByLabel('2FA code').fill(code);
      await A.shot('confirm-release');
      await release.click();
      await expectText(A.page.getByTestId('trade-status'), /Completed/);
      await A.page.getByRole('radio', { name: /Positive/ }).check({ force: true });
      await A.page.getByLabel('Comment (optional)').fill('Quick payment, thanks!');
      await A.page.getByRole('button', { name: 'Leave feedback' }).click();
      await A.page.getByText(/Thanks: your feedback/).waitFor();
      await A.shot('trade-completed');
    });

    // ---- B sees completion live, leaves feedback, and has the XMR ----
    await step('B sees the XMR', async () => {
      await expectText(B.page.getByTestId('trade-status'), /Completed/);
      await expectText(B.page.getByTestId('next-step'), /1\.5 XMR was added to your balance/);
      await B.page.getByRole('button', { name: 'Leave feedback' }).click();
      await B.page.getByText(/Thanks: your feedback/).waitFor();
      await B.shot('trade-completed');
      await B.page.getByRole('link', { name: 'See your balance →' }).click();
      await expectText(B.page.getByTestId('balance-available'), /^1\.5000 XMR$/);
      await B.shot('wallet-after-trade');
    });

    // ---- B withdraws to a wallet outside Pupero and follows it to "confirmed" ----
    const outside = await outsideReady;
    const txid = await step('B withdraws (to confirmed)', async () => {
      await B.page.getByLabel('Monero address').fill(outside.address);
      await B.page.getByLabel('Amount (XMR)').fill(WITHDRAW_XMR);
      await B.shot('withdraw-form');
      await B.page.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await B.page.getByText(/Withdrawal of 1 XMR queued/).waitFor();
      const row = B.page.getByTestId('withdrawal').first();
      await row.waitFor();
      await B.shot('withdrawal-queued');
      await row.and(B.page.locator('[data-status="confirmed"]')).waitFor({ timeout: 120_000 });
      const shown = (await row.getByTestId('withdrawal-txid').textContent())!.trim();
      expect(shown).toMatch(/^[0-9a-f]{64}$/);
      await B.shot('withdrawal-confirmed');
      return shown;
    });

    // The outside wallet really received it, in that transaction.
    await step('outside wallet received', async () => {
      const received = await outside.waitForIncoming(txid, 60_000);
      expect(received.amount).toBe(1_000_000_000_000n);
    });

    // ---- An admin checks the books in the web app ----
    await step('admin verifies the ledger', async () => {
      const C = await loggedInActor('admin-desktop', await stack.grantRole(await stack.newUser('admin'), 'admin'));
      await C.page.getByRole('link', { name: 'Admin', exact: true }).click();
      await C.page.getByRole('button', { name: 'Verify the ledger' }).click();
      await expectText(C.page.getByTestId('ledger-verify'), /Ledger OK/);
      await C.page.getByTestId('reconciliation-status').waitFor();
      await C.shot('admin');
      await C.page.getByRole('link', { name: 'Disputes', exact: true }).click();
      await C.page.getByText('No open disputes.').waitFor();
      await C.shot('disputes');
    });

    for (const actor of actors) {
      expect(actor.offsite, `${actor.name}: requests that left the machine`).toEqual([]);
      expect(actor.pageErrors, `${actor.name}: uncaught errors in the page`).toEqual([]);
    }
  }, 200_000);

  it('refreshes an expired token transparently; a moderator resolves a dispute; the offer is closed', async () => {
    expect(B, 'the first test must have run').toBeDefined();

    // ---- An access token the server refuses is renewed with the refresh token, unseen ----
    await step('B: transparent token refresh', async () => {
      const before = await B.page.evaluate(() => JSON.parse(localStorage.getItem('pupero.session')!));
      await B.page.evaluate(() => {
        const s = JSON.parse(localStorage.getItem('pupero.session')!);
        localStorage.setItem('pupero.session', JSON.stringify({ ...s, accessToken: 'not-a-valid-token' }));
      });
      await go(B, '/wallet');
      await expectText(B.page.getByTestId('balance-available'), /^0\.4964 XMR$/);
      expect(B.page.url()).toMatch(/\/wallet$/);
      const after = await B.page.evaluate(() => JSON.parse(localStorage.getItem('pupero.session')!));
      expect(after.accessToken).not.toBe('not-a-valid-token');
      expect(after.refreshToken).not.toBe(before.refreshToken); // rotated
    });

    // ---- B buys again, pays, and disputes ----
    await step('B opens a dispute', async () => {
      await go(B, '/?currency=EUR');
      await B.page
        .getByTestId('offer-row')
        .filter({ hasText: aliceName })
        .getByRole('link', { name: /Buy XMR/ })
        .click();
      await B.page.getByLabel('Amount (XMR)').fill('0.2');
      await expectText(B.page.getByTestId('fiat-total'), /You pay: 30\.00 EUR/);
      await B.page.getByRole('button', { name: 'Start trade: buy XMR' }).click();
      await B.page.waitForURL('**/trades/*');
      await B.page.getByRole('button', { name: 'I sent money' }).click();
      await B.page.getByRole('dialog').getByRole('button', { name: 'Yes, I sent the money' }).click();
      await expectText(B.page.getByTestId('trade-status'), /Payment sent/);
      await B.page.getByRole('textbox', { name: 'Your message' }).fill('Paid 30 EUR two hours ago; bank receipt ref 7731.');
      await B.page.getByRole('button', { name: 'Send', exact: true }).click();
      await B.page.getByRole('button', { name: 'Open dispute' }).click();
      const dialog = B.page.getByRole('dialog', { name: 'Open a dispute' });
      await dialog.getByLabel('What went wrong?').fill('I paid but the seller does not release.');
      await B.shot('dispute-dialog');
      await dialog.getByRole('button', { name: 'Open dispute' }).click();
      await expectText(B.page.getByTestId('trade-status'), /In dispute/);
      await expectText(B.page.getByTestId('next-step'), /A moderator is reviewing/);
    });

    // ---- A moderator reads the chat and splits the held XMR ----
    await step('moderator resolves (split)', async () => {
      const M = await loggedInActor('moderator-desktop', await stack.grantRole(await stack.newUser('mod'), 'moderator'));
      await M.page.getByRole('link', { name: 'Disputes', exact: true }).click();
      const row = M.page.getByRole('row').filter({ hasText: 'I paid but the seller does not release.' });
      await row.waitFor();
      await M.shot('disputes-open');
      await row.getByRole('link', { name: 'Review' }).click();
      await M.page.getByText('Paid 30 EUR two hours ago; bank receipt ref 7731.').waitFor();
      await M.page.getByRole('radio', { name: 'Split' }).check({ force: true });
      await M.page.getByLabel('Buyer receives (XMR)').fill('0.05');
      await M.page.getByText(/The seller gets back 0\.15/).waitFor();
      await M.page.getByLabel('Note (shown to both parties)').fill('Partial proof of payment: split 25/75.');
      await M.shot('dispute-resolve');
      await M.page.getByRole('button', { name: 'Resolve dispute' }).click();
      await M.page.getByRole('dialog', { name: 'Resolve this dispute?' }).getByRole('button', { name: 'Resolve', exact: true }).click();
      await expectText(M.page.getByTestId('trade-status'), /Completed/);
    });

    // ---- B sees the decision live and gets the buyer's part ----
    await step('B sees the resolution', async () => {
      await expectText(B.page.getByTestId('trade-status'), /Completed/);
      await expectText(B.page.getByTestId('next-step'), /Resolved by a moderator: 0\.05 XMR was added to your balance/);
      await B.page.getByText('Partial proof of payment: split 25/75.').first().waitFor();
      await B.page.getByText('Moderator split the XMR between the parties').waitFor();
      await B.shot('dispute-resolved');
      await go(B, '/wallet');
      await expectText(B.page.getByTestId('balance-available'), /^0\.5464 XMR$/);
      await B.shot('wallet-history');
    });

    // ---- A closes the offer for good (confirmation dialog); it leaves the market ----
    await step('A closes the offer', async () => {
      await go(A, '/my/offers');
      const card = A.page.getByTestId('my-offer').first();
      await card.getByRole('button', { name: 'Close' }).click();
      const dialog = A.page.getByRole('dialog', { name: 'Close this offer?' });
      await dialog.getByRole('button', { name: 'Close offer' }).click();
      await expectText(card, /closed/);
      await go(B, '/?currency=EUR');
      await B.page.getByText('No offers match these filters.').waitFor();
    });

    for (const actor of actors) {
      expect(actor.offsite, `${actor.name}: requests that left the machine`).toEqual([]);
      expect(actor.pageErrors, `${actor.name}: uncaught errors in the page`).toEqual([]);
    }
  }, 90_000);
});
