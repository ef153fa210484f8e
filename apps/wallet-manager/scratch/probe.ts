import { DevChain, DaemonRpc } from '@pupero/monero';
const t0 = Date.now();
const chain = await DevChain.start({ log: (m) => console.log('[chain]', m) });
console.log('start ms', Date.now() - t0, chain.timings);
try {
  const hot = chain.hot;
  const sub = await hot.createAddress({ label: 'user-1' });
  console.log('sub', sub);
  const outside = await chain.startWallet('outside');
  const f = await chain.faucet(outside.address, 5_000_000_000_000n, { confirmations: 10 });
  console.log('faucet', f);
  await outside.wallet.refresh();
  console.log('outside bal', await outside.wallet.getBalance());
  const h0 = await chain.daemon.getHeight();
  const t1 = Date.now();
  const dep = await outside.wallet.transfer({ destinations: [{ address: sub.address, amount: 1_000_000_000_000n }, { address: sub.address, amount: 2_000_000_000n }] });
  console.log('deposit tx', dep.tx_hash, 'fee', dep.fee, 'ms', Date.now() - t1);
  await hot.refresh();
  const pool = await hot.getTransfers({ in: true, pool: true });
  console.log('pool view', JSON.stringify(pool, (k, v) => typeof v === 'bigint' ? v.toString() : v).slice(0, 1500));
  const h1 = await chain.mine(1);
  await hot.refresh();
  console.log('height after mine', h1, 'wallet height', await hot.getHeight());
  for (const mh of [h0 - 1, h0, h0 + 1]) {
    const r = await hot.getTransfers({ in: true, min_height: mh });
    console.log('min_height', mh, 'in count', r.in.length, r.in.map((t) => [t.height, t.confirmations]));
  }
  await chain.mine(10);
  await hot.refresh();
  console.log('hot balance', await hot.getBalance());
  const w = await hot.transfer({ destinations: [{ address: outside.address, amount: 100_000_000_000n }], do_not_relay: true, get_tx_metadata: true });
  console.log('signed keys', Object.keys(w), 'fee', w.fee, 'spent', JSON.stringify(w.spent_key_images), 'metalen', w.tx_metadata.length);
  const d = new DaemonRpc(chain.monerod.url);
  console.log('before relay', await d.getTransactions([w.tx_hash]));
  console.log('relay1', await hot.relayTx(w.tx_metadata));
  console.log('relay2', await hot.relayTx(w.tx_metadata).catch((e) => 'ERR ' + e.message));
  console.log('after relay', (await d.getTransactions([w.tx_hash])).txs.map((t) => [t.in_pool, t.block_height, t.confirmations, t.double_spend_seen]));
  await chain.mine(1);
  console.log('relay3 after mined', await hot.relayTx(w.tx_metadata).catch((e) => 'ERR ' + e.message));
  console.log('after mine', (await d.getTransactions([w.tx_hash])).txs.map((t) => [t.in_pool, t.block_height, t.confirmations]));
  console.log('hot balance after send', await hot.getBalance());
  await hot.refresh();
  const w2 = await hot.transfer({ destinations: [{ address: outside.address, amount: 100_000_000_000n }], do_not_relay: true, get_tx_metadata: true }).catch((e) => e);
  console.log('second transfer while change locked:', w2 instanceof Error ? w2.message : w2.tx_hash);
  console.log('ki', await d.transport.other('/is_key_image_spent', { key_images: ['0000000000000000000000000000000000000000000000000000000000000000'] }).catch((e) => e.message));
  for (const a of ['9wviCeWe2D8XS82k2ovp5EUYLzBt9pYNW2LXUFsZiv8S3Mt21FZ5qQaAroko1enzw3eGr9qC7X1D7Geoo2RrAotYPwq9Gm8', '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A', sub.address, 'garbage']) {
    console.log('validate', a.slice(0, 8), await hot.validateAddress(a, { any_net_type: true }).catch((e) => e.message));
  }
  const integ = await hot.makeIntegratedAddress();
  console.log('integrated validate', await hot.validateAddress(integ.integrated_address, { any_net_type: true }));
  console.log('address index of own sub', await hot.getAddressIndex(sub.address).catch((e) => e.message));
  console.log('address index of outside', await hot.getAddressIndex(outside.address).catch((e) => e.message));
  console.log('fee estimate', await d.getFeeEstimate());
} finally {
  await chain.stop();
  console.log('total', Date.now() - t0);
}
