import { startTestStack } from '@pupero/stack/testing';
import { openSse } from './testing/sse-client.js';

const stack = await startTestStack({ services: ['login', 'offers', 'transactions'] });
const user = await stack.newUser('sse');
const doc = await stack.request('GET', '/openapi.json');
const paths = Object.keys(doc.body.paths).filter((p) => /trades|balance|users|events|admin\/(disputes|trades|ledger)/.test(p));
console.log('openapi paths', paths.length, paths.join(' '));
console.log('post /trades security', JSON.stringify(doc.body.paths['/trades']?.post?.security), 'params', JSON.stringify(doc.body.paths['/trades']?.post?.parameters));
const s = await openSse(`${stack.url}/events?access_token=${user.token}`);
await s.waitFor((e) => e.event === 'ready');
const t0 = Date.now();
await new Promise((r) => setTimeout(r, 45_000));
await fetch(`${stack.common.urls.transactions}/internal/ledger/deposits`, { method: 'POST', headers: { 'x-service-token': stack.common.serviceToken, 'content-type': 'application/json' }, body: JSON.stringify({ user_id: user.id, txid: 'abc', output_key: '0', amount: '1' }) });
console.log('after', (Date.now() - t0) / 1000, 's: ended?', s.ended, 'heartbeats', s.comments);
s.close();
await stack.close();
