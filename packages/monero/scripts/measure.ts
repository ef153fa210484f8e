/**
 * Measures DevChain timings on this machine:
 *   npx tsx packages/monero/scripts/measure.ts [--cold]
 * --cold builds a snapshot in a throw-away cache root first (what the first run on a machine pays).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevChain, defaultCacheRoot } from '../src/index.js';

const XMR = 1_000_000_000_000n;
const cold = process.argv.includes('--cold');
const cacheRoot = cold ? mkdtempSync(join(tmpdir(), 'pupero-monero-cache-')) : defaultCacheRoot();
const ms = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, Math.round(performance.now() - t)];
};

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (cache root ${cacheRoot})`,
);
const rows: Array<[string, number]> = [];
for (let i = 0; i < 3; i++) {
  const [chain, startMs] = await ms(() => DevChain.start({ cacheRoot }));
  try {
    rows.push([`DevChain.start #${i + 1} ${JSON.stringify(chain.timings)}`, startMs]);
    if (i > 0) continue;
    const sub = await chain.hot.createAddress({ label: 'measure' });
    rows.push(['faucet 1.5 XMR (refresh + transfer + mine 1)', (await ms(() => chain.faucet(sub.address, 1_500_000_000_000n)))[1]]);
    rows.push(['mine 10 blocks', (await ms(() => chain.mine(10)))[1]]);
    rows.push(['hot refresh', (await ms(() => chain.hot.refresh()))[1]]);
    rows.push(['get_transfers in+pool', (await ms(() => chain.hot.getTransfers({ in: true, pool: true })))[1]]);
    const [signed, tMs] = await ms(() =>
      chain.hot.transfer({ destinations: [{ address: chain.faucetAddress, amount: XMR / 4n }], do_not_relay: true, get_tx_metadata: true }),
    );
    rows.push(['transfer do_not_relay + get_tx_metadata', tMs]);
    rows.push(['relay_tx', (await ms(() => chain.hot.relayTx(signed.tx_metadata)))[1]]);
    rows.push(['daemon get_transactions', (await ms(() => chain.daemon.getTransactions([signed.tx_hash])))[1]]);
    rows.push(['daemon get_info', (await ms(() => chain.daemon.getInfo()))[1]]);
    rows.push(['wallet get_balance', (await ms(() => chain.hot.getBalance()))[1]]);
    rows.push([
      'close_wallet + open_wallet (hot)',
      (
        await ms(async () => {
          await chain.hot.closeWallet();
          await chain.hot.openWallet({ filename: 'hot', password: '' });
        })
      )[1],
    ]);
  } finally {
    const [, stopMs] = await ms(() => chain.stop());
    rows.push([`stop #${i + 1}`, stopMs]);
  }
}
for (const [what, t] of rows) console.log(`${String(t).padStart(7)} ms  ${what}`);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (cold) rmSync(cacheRoot, { recursive: true, force: true });
