import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseDigestChallenge } from './digest.js';
import { MoneroRpcError, WalletErrorCode } from './errors.js';
import { DaemonRpc } from './daemon.js';
import { WalletRpc } from './wallet.js';

type Handler = (req: { url: string; body: any; rawBody: string; headers: Headers; signal?: AbortSignal }) => Response | Promise<Response>;

/** A fetch that records calls and answers with `handler`. */
function fakeFetch(handler: Handler) {
  const calls: Array<{ url: string; body: any; rawBody: string; headers: Headers }> = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const rawBody = (init?.body as string | undefined) ?? '';
    const req = {
      url: input instanceof Request ? input.url : String(input),
      rawBody,
      body: rawBody ? JSON.parse(rawBody.replace(/:(\d{16,})/g, ':"$1"')) : undefined,
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
    };
    calls.push(req);
    return handler(req);
  }) as typeof fetch;
  return { fetchImpl, calls };
}

const rpcResult = (result: string, id = '1') =>
  new Response(`{"id":"${id}","jsonrpc":"2.0","result":${result}}`, {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

const refused = () => {
  const err = new TypeError('fetch failed');
  (err as any).cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  throw err;
};

describe('WalletRpc over a fake fetch', () => {
  it('parses balances above 2^53 exactly', async () => {
    const { fetchImpl, calls } = fakeFetch(() =>
      rpcResult(
        '{"balance":18446744073709551615,"unlocked_balance":9007199254740993,"multisig_import_needed":false,' +
          '"per_subaddress":[{"account_index":0,"address_index":7,"address":"8x","balance":9007199254740993,' +
          '"unlocked_balance":9007199254740993,"label":"user-7","num_unspent_outputs":1,"blocks_to_unlock":0,"time_to_unlock":0}]}',
      ),
    );
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083/', fetch: fetchImpl });
    const b = await w.getBalance();
    expect(b.balance).toBe(18446744073709551615n);
    expect(b.unlocked_balance).toBe(9007199254740993n);
    expect(b.per_subaddress[0]?.balance).toBe(9007199254740993n);
    expect(b.per_subaddress[0]?.address_index).toBe(7);
    expect(calls[0]?.url).toBe('http://127.0.0.1:18083/json_rpc');
    expect(calls[0]?.body.method).toBe('get_balance');
  });

  it('sends transfer amounts as raw integer literals and returns bigint amount/fee', async () => {
    const { fetchImpl, calls } = fakeFetch(() =>
      rpcResult('{"tx_hash":"ab","amount":9007199254740993,"fee":30620000,"tx_metadata":"0102","weight":1500}'),
    );
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083', fetch: fetchImpl });
    const r = await w.transfer({
      destinations: [{ address: '4abc', amount: 9007199254740993n }],
      do_not_relay: true,
      get_tx_metadata: true,
    });
    expect(calls[0]?.rawBody).toContain('"destinations":[{"address":"4abc","amount":9007199254740993}]');
    expect(calls[0]?.rawBody).toContain('"do_not_relay":true');
    expect(r).toMatchObject({ tx_hash: 'ab', amount: 9007199254740993n, fee: 30620000n, tx_metadata: '0102', weight: 1500 });
  });

  it('refuses a non-bigint amount before sending anything', async () => {
    const { fetchImpl, calls } = fakeFetch(() => rpcResult('{}'));
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083', fetch: fetchImpl });
    await expect(w.transfer({ destinations: [{ address: 'x', amount: 1.5 as unknown as bigint }] })).rejects.toThrow(/positive bigint/);
    await expect(w.transfer({ destinations: [{ address: 'x', amount: 0n }] })).rejects.toThrow(/positive bigint/);
    expect(calls).toHaveLength(0);
  });

  it('normalises get_transfers (missing lists -> [], bigint amounts, subaddress index)', async () => {
    const { fetchImpl, calls } = fakeFetch(() =>
      rpcResult(
        '{"in":[{"txid":"t1","type":"in","amount":1500000000000,"amounts":[1500000000000],"fee":1,"height":90,' +
          '"confirmations":10,"subaddr_index":{"major":0,"minor":4},"subaddr_indices":[{"major":0,"minor":4}],' +
          '"address":"8sub","locked":false,"unlock_time":0,"timestamp":1,"double_spend_seen":false,"payment_id":"00","note":"",' +
          '"suggested_confirmations_threshold":1}]}',
      ),
    );
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083', fetch: fetchImpl });
    const r = await w.getTransfers({ in: true, pool: true, min_height: 80, subaddr_indices: [4] });
    expect(r.pool).toEqual([]);
    expect(r.out).toEqual([]);
    expect(r.in[0]?.amount).toBe(1_500_000_000_000n);
    expect(r.in[0]?.subaddr_index).toEqual({ major: 0, minor: 4 });
    // min_height only works with filter_by_height: the client sets it.
    expect(calls[0]?.body.params).toMatchObject({ in: true, pool: true, min_height: 80, filter_by_height: true, subaddr_indices: [4] });
  });

  it('maps a JSON-RPC error to MoneroRpcError with code and a clear message', async () => {
    const { fetchImpl } = fakeFetch(
      () => new Response('{"error":{"code":-17,"message":"not enough money"},"id":"1","jsonrpc":"2.0"}', { status: 200 }),
    );
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083', fetch: fetchImpl });
    const err = await w.transfer({ destinations: [{ address: 'x', amount: 1n }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MoneroRpcError);
    expect(err).toMatchObject({ kind: 'rpc', code: WalletErrorCode.NOT_ENOUGH_MONEY, rpcMessage: 'not enough money', method: 'transfer' });
    expect((err as Error).message).toBe('wallet-rpc transfer failed: not enough money (code -17)');
  });

  it('retries idempotent reads when the server is unreachable, then succeeds', async () => {
    let n = 0;
    const { fetchImpl, calls } = fakeFetch(() => (++n < 3 ? refused() : rpcResult('{"height":42}')));
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083', fetch: fetchImpl, retryDelayMs: 1 });
    expect(await w.getHeight()).toBe(42);
    expect(calls).toHaveLength(3);
  });

  it('never retries transfer or relay_tx', async () => {
    const { fetchImpl, calls } = fakeFetch(() => refused());
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083', fetch: fetchImpl, retryDelayMs: 1 });
    const err = await w.transfer({ destinations: [{ address: 'x', amount: 1n }] }).catch((e: unknown) => e);
    expect(calls).toHaveLength(1);
    expect(err).toMatchObject({ kind: 'unreachable', attempts: 1, maybeExecuted: false });
    expect((err as Error).message).toBe('wallet-rpc at http://127.0.0.1:18083 is not reachable: is it running? (ECONNREFUSED)');
    await expect(w.relayTx('00')).rejects.toMatchObject({ kind: 'unreachable' });
    expect(calls).toHaveLength(2);
  });

  it('gives up on reads after the configured retries, saying how often it tried', async () => {
    const { fetchImpl, calls } = fakeFetch(() => refused());
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083', fetch: fetchImpl, retryDelayMs: 1, retries: 2 });
    const err = await w.getBalance().catch((e: unknown) => e);
    expect(calls).toHaveLength(3);
    expect((err as Error).message).toMatch(/not reachable: is it running\? \(ECONNREFUSED\) \(after 3 attempts\)/);
  });

  it('times out per call and flags that a non-idempotent call may have executed', async () => {
    const { fetchImpl } = fakeFetch(
      ({ signal }) =>
        new Promise<Response>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason as Error));
        }),
    );
    const w = new WalletRpc({ url: 'http://127.0.0.1:18083', fetch: fetchImpl, timeoutMs: 50, slowTimeoutMs: 50 });
    const t0 = Date.now();
    const err = await w.relayTx('00').catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err).toMatchObject({ kind: 'timeout', maybeExecuted: true, method: 'relay_tx' });
  });

  it('retries reads on HTTP 5xx but not on 401', async () => {
    let n = 0;
    const a = fakeFetch(() => (++n === 1 ? new Response('busy', { status: 503 }) : rpcResult('{"height":5}')));
    expect(await new WalletRpc({ url: 'http://h:1', fetch: a.fetchImpl, retryDelayMs: 1 }).getHeight()).toBe(5);
    expect(a.calls).toHaveLength(2);

    const b = fakeFetch(() => new Response('no', { status: 401 }));
    const err = await new WalletRpc({ url: 'http://h:1', fetch: b.fetchImpl, retryDelayMs: 1 }).getHeight().catch((e) => e);
    expect(b.calls).toHaveLength(1);
    expect(err).toMatchObject({ kind: 'http', httpStatus: 401 });
    expect((err as Error).message).toMatch(/HTTP 401 \(wrong or missing rpc login\)/);
  });

  it('reports a non-JSON answer as a protocol error', async () => {
    const { fetchImpl } = fakeFetch(() => new Response('<html>hi</html>', { status: 200 }));
    const err = await new WalletRpc({ url: 'http://h:1', fetch: fetchImpl }).getHeight().catch((e) => e);
    expect(err).toMatchObject({ kind: 'protocol' });
  });

  it('answers a digest challenge and reuses it with an increasing nonce count', async () => {
    const challenge =
      'Digest qop="auth",algorithm=MD5,realm="monero-rpc",nonce="abc==",stale=false, Digest qop="auth",algorithm=MD5-sess,realm="monero-rpc",nonce="abc==",stale=false';
    const { fetchImpl, calls } = fakeFetch(({ headers }) =>
      headers.get('authorization')
        ? rpcResult('{"height":1}')
        : new Response('', { status: 401, headers: { 'www-authenticate': challenge } }),
    );
    const w = new WalletRpc({ url: 'http://h:1', fetch: fetchImpl, login: { username: 'u', password: 'p' } });
    await w.getHeight();
    await w.getHeight();
    expect(calls).toHaveLength(3); // challenge, answer, then pre-emptive auth
    const auth1 = calls[1]?.headers.get('authorization');
    const auth2 = calls[2]?.headers.get('authorization');
    expect(auth1).toMatch(/^Digest username="u", realm="monero-rpc", nonce="abc==", uri="\/json_rpc", algorithm=MD5, /);
    expect(auth1).toContain('nc=00000001');
    expect(auth2).toContain('nc=00000002');
  });
});

describe('digest helpers', () => {
  it('computes the RFC 2617 example response', () => {
    const ch = parseDigestChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )!;
    expect(ch).toMatchObject({ realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', algorithm: 'MD5' });
    const h = digestAuthorization(ch, 'Mufasa', 'Circle Of Life', 'GET', '/dir/index.html', 1, '0a4f113b');
    expect(h).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(h).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });
});

describe('DaemonRpc over a fake fetch', () => {
  it('computes confirmations for get_transactions and lists missed hashes', async () => {
    const { fetchImpl, calls } = fakeFetch(({ url }) =>
      url.endsWith('/get_height')
        ? new Response('{"height":100,"status":"OK"}')
        : new Response(
            '{"status":"OK","txs":[{"tx_hash":"a","in_pool":false,"block_height":95,"as_hex":""},' +
              '{"tx_hash":"b","in_pool":true,"block_height":0,"as_hex":""}],"missed_tx":["c"]}',
          ),
    );
    const d = new DaemonRpc({ url: 'http://127.0.0.1:18081', fetch: fetchImpl });
    const r = await d.getTransactions(['a', 'b', 'c']);
    expect(r.txs.map((t) => [t.tx_hash, t.in_pool, t.confirmations])).toEqual([
      ['a', false, 5],
      ['b', true, 0],
    ]);
    expect(r.missed_tx).toEqual(['c']);
    const txCall = calls.find((c) => c.url.endsWith('/get_transactions'))!;
    expect(txCall.body).toMatchObject({ txs_hashes: ['a', 'b', 'c'] });
  });

  it('turns a daemon status other than OK into an error; BUSY is retried for reads', async () => {
    let n = 0;
    const a = fakeFetch(() => (++n === 1 ? new Response('{"status":"BUSY"}') : new Response('{"height":7,"status":"OK"}')));
    expect(await new DaemonRpc({ url: 'http://h:1', fetch: a.fetchImpl, retryDelayMs: 1 }).getHeight()).toBe(7);

    const b = fakeFetch(() => new Response('{"status":"Failed","reason":"double spend","double_spend":true,"not_relayed":false}'));
    const err = await new DaemonRpc({ url: 'http://h:1', fetch: b.fetchImpl }).sendRawTransaction('00').catch((e) => e);
    expect(err).toBeInstanceOf(MoneroRpcError);
    expect((err as Error).message).toBe('monerod send_raw_transaction failed: Failed: double spend: double_spend');
  });

  it('generateblocks is never retried (a retry would mine more blocks)', async () => {
    const { fetchImpl, calls } = fakeFetch(() => refused());
    const d = new DaemonRpc({ url: 'http://127.0.0.1:18081', fetch: fetchImpl, retryDelayMs: 1 });
    const err = await d.generateBlocks('4addr', 5).catch((e) => e);
    expect(calls).toHaveLength(1);
    expect((err as Error).message).toBe('monerod at http://127.0.0.1:18081 is not reachable: is it running? (ECONNREFUSED)');
  });
});
