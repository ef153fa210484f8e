// The container HEALTHCHECK of the Pupero image: GET /readyz of the service this container runs.
// Plain JavaScript on node's fetch (no curl, no tsx start-up cost). The service is read from PID 1's
// command line (the image's command), its port from the same variables the service reads.
import { readFileSync } from 'node:fs';

const PORTS = {
  login: ['LOGIN_PORT', 8001],
  offers: ['OFFERS_PORT', 8002],
  transactions: ['TRANSACTIONS_PORT', 8003],
  'wallet-manager': ['WALLET_PORT', 8004],
  gateway: ['GATEWAY_PORT', 8000],
  web: ['WEB_PORT', 5000],
  all: ['GATEWAY_PORT', 8000],
};
const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
const service = args.find((a) => a in PORTS) ?? 'all';
const [variable, fallback] = PORTS[service];
const port = process.env[variable] ?? fallback;
try {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(4000) });
  if (response.status !== 200) {
    console.error(`${service} /readyz answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`${service} /readyz unreachable: ${error.message}`);
  process.exit(1);
}
