/**
 * A quick client-side look at a Monero address, to catch typos before the server checks it
 * properly (checksum, network). Standard addresses and subaddresses are 95 base58 characters;
 * integrated addresses (106) are not accepted for withdrawals.
 */
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

/** First characters of standard (and sub-) addresses per network; regtest uses mainnet's. */
const PREFIXES: Record<string, string[]> = {
  mainnet: ['4', '8'],
  regtest: ['4', '8'],
  testnet: ['9', 'A', 'B'],
  stagenet: ['5', '7'],
};

export function checkAddress(raw: string, network?: string): { ok: true; address: string } | { ok: false; message: string } {
  const address = raw.trim();
  if (!address) return { ok: false, message: 'Enter the Monero address to send to.' };
  if (!BASE58.test(address)) return { ok: false, message: 'A Monero address has only letters and digits (no 0, O, I or l).' };
  if (address.length === 106) return { ok: false, message: 'Integrated addresses are not accepted: use a standard address or subaddress.' };
  if (address.length !== 95) return { ok: false, message: `A Monero address is 95 characters long (this one has ${address.length}).` };
  const prefixes = network ? PREFIXES[network] : undefined;
  if (prefixes && !prefixes.includes(address.charAt(0))) return { ok: false, message: `This does not look like a ${network} address.` };
  return { ok: true, address };
}
