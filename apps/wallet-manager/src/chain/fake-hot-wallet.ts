/**
 * An in-memory Monero chain + hot wallet for unit tests of the deposit scanner and the
 * withdrawal worker. It keeps the properties those rely on: confirmations, a pool, outputs that
 * unlock after 10 blocks, do_not_relay transactions that reserve nothing, idempotent relay, and
 * double-spend refusal. Addresses are made with fakeAddress(): real-looking base58 strings whose first
 * character carries the network, as in Monero.
 */
import { createHash } from 'node:crypto';
// The same import list as rpc-hot-wallet.ts: both implement HotWallet with its types; kept explicit in each.
import {
  ChainUnavailableError,
  TransferFailure,
  type AddressCheck,
  type AddressNetwork,
  type Destination,
  type HotWallet,
  type IncomingPayment,
  type KeyImageState,
  type SignedTransaction,
  type TxState,
} from './hot-wallet.js';

const UNLOCK = 10;
const PREFIX = { mainnet: ['4', '8'], testnet: ['9', 'B'], stagenet: ['5', '7'] } as const;

/** A Monero-shaped address for the fake chain (95 characters, 106 when integrated). */
export function fakeAddress(name: string, o: { network?: AddressNetwork; subaddress?: boolean; integrated?: boolean } = {}): string {
  const prefix = PREFIX[o.network ?? 'mainnet'][o.subaddress ? 1 : 0];
  return `${prefix}${name.replace(/[^1-9A-HJ-NP-Za-km-z]/g, '')}`.padEnd(o.integrated ? 106 : 95, 'x');
}

interface Output {
  keyImage: string;
  amount: bigint;
  /** null while its transaction is in the pool (change of our own pending transaction). */
  height: number | null;
  unlockTime: bigint;
  spentBy?: string;
}

interface Tx {
  hash: string;
  inputs: string[];
  destinations: Destination[];
  fee: bigint;
  change: bigint;
  /** undefined = never relayed; null = in the pool. */
  height?: number | null;
}

export class FakeHotWallet implements HotWallet {
  height = 100;
  feePerTx = 2_000_000_000n;
  perByte = 1_200_000n;
  /** Makes every call fail as if the wallet-rpc were down. */
  down = false;
  /** The next sign() fails with this. */
  nextSignFailure?: TransferFailure;
  /** The next relay() fails with this (after doing nothing). */
  nextRelayFailure?: Error;
  /** sign() refuses any transaction paying one of these, for ever (like a generic wallet error). */
  readonly refusedDestinations = new Set<string>();
  /** relay() refuses these transaction hashes for ever (a daemon that will not take them). */
  readonly refusedRelays = new Set<string>();
  /** The next transaction signed goes into refusedRelays (the daemon will never take it). */
  refuseNextSigned = false;
  readonly signCalls: Destination[][] = [];
  readonly relayCalls: string[] = [];
  /** Pool transactions the daemon holds but never relayed (see holdUnrelayed). */
  readonly unrelayed = new Set<string>();
  readonly relayPooledCalls: string[][] = [];
  /** Blocks the wallet is behind the daemon after a restart (refreshToDaemon catches up one call later). */
  walletLag = 0;
  private readonly subaddresses: string[] = [fakeAddress('hotprimary')];
  private readonly outputs: Output[] = [];
  private readonly payments: IncomingPayment[] = [];
  private readonly txs = new Map<string, Tx>();
  private counter = 0;

  /** Someone outside pays `amount` to our subaddress `index` (in the pool until mined). */
  deposit(index: number, amount: bigint, o: { unlockTime?: bigint; doubleSpendSeen?: boolean } = {}): string {
    const txid = this.hash(`deposit-${index}-${amount}`);
    this.payments.push({
      txid,
      subaddressIndex: index,
      amount,
      height: null,
      unlockTime: o.unlockTime ?? 0n,
      doubleSpendSeen: o.doubleSpendSeen ?? false,
    });
    return txid;
  }

  /** Mines `blocks` blocks: the pool goes into the first. */
  mine(blocks = 1): number {
    const block = this.height;
    for (const p of this.payments) {
      if (p.height !== null || p.doubleSpendSeen) continue;
      p.height = block;
      this.outputs.push({ keyImage: this.hash(`ki-${p.txid}`), amount: p.amount, height: block, unlockTime: p.unlockTime });
    }
    for (const tx of this.txs.values()) {
      if (tx.height !== null || this.unrelayed.has(tx.hash)) continue; // an unrelayed one stays (the drill's stuck transaction)
      tx.height = block;
      for (const o of this.outputs) if (o.keyImage === `change-${tx.hash}`) o.height = block;
    }
    this.height += blocks;
    return this.height;
  }

  /** Drops a transaction from the pool (as a restarted daemon might). */
  dropFromPool(hash: string): void {
    const tx = this.txs.get(hash);
    if (tx && tx.height === null) {
      tx.height = undefined;
      for (const o of this.outputs) if (o.spentBy === hash) o.spentBy = undefined;
      const i = this.outputs.findIndex((o) => o.keyImage === `change-${hash}`);
      if (i >= 0) this.outputs.splice(i, 1);
    }
  }

  /** Transactions that reached the pool or the chain paying `address`. */
  received(address: string): Array<{ hash: string; amount: bigint }> {
    return [...this.txs.values()]
      .filter((t) => t.height !== undefined)
      .flatMap((t) => t.destinations.filter((d) => d.address === address).map((d) => ({ hash: t.hash, amount: d.amount })));
  }

  relayedCount(): number {
    return [...this.txs.values()].filter((t) => t.height !== undefined).length;
  }

  async sync(): Promise<number> {
    this.check();
    return this.height;
  }

  async createSubaddress(label: string): Promise<{ index: number; address: string }> {
    this.check();
    const address = fakeAddress(`sub${this.subaddresses.length}${label}`, { subaddress: true });
    this.subaddresses.push(address);
    return { index: this.subaddresses.length - 1, address };
  }

  async incoming(minHeight: number): Promise<IncomingPayment[]> {
    this.check();
    return this.payments.filter((p) => p.height === null || p.height >= minHeight).map((p) => ({ ...p }));
  }

  async sign(destinations: Destination[]): Promise<SignedTransaction> {
    this.check();
    this.signCalls.push(destinations);
    this.throwQueuedFailure('nextSignFailure');
    const refused = destinations.find((d) => this.refusedDestinations.has(d.address));
    if (refused) throw new TransferFailure('unavailable', `transfer failed for ${refused.address.slice(0, 8)}…`);
    for (const d of destinations) {
      const check = await this.checkAddress(d.address);
      if (!check.valid || check.network !== 'mainnet') throw new TransferFailure('invalid_destination', `bad address ${d.address}`);
    }
    const amount = destinations.reduce((s, d) => s + d.amount, 0n);
    const need = amount + this.feePerTx;
    const unspent = this.outputs.filter((o) => !o.spentBy);
    const spendable = unspent.filter((o) => this.unlocked(o));
    if (unspent.reduce((s, o) => s + o.amount, 0n) < need) throw new TransferFailure('insufficient_funds', 'not enough money');
    if (spendable.reduce((s, o) => s + o.amount, 0n) < need)
      throw new TransferFailure('insufficient_unlocked', 'not enough unlocked money');
    const inputs: Output[] = [];
    let sum = 0n;
    for (const o of spendable) {
      if (sum >= need) break;
      inputs.push(o);
      sum += o.amount;
    }
    const hash = this.hash('tx');
    const tx: Tx = { hash, inputs: inputs.map((o) => o.keyImage), destinations, fee: this.feePerTx, change: sum - need };
    this.txs.set(hash, tx);
    if (this.refuseNextSigned) {
      this.refuseNextSigned = false;
      this.refusedRelays.add(hash);
    }
    return { txHash: hash, txMetadata: `meta:${hash}`, txBlob: `blob:${hash}`, fee: tx.fee, amount, keyImages: tx.inputs };
  }

  async relay(txMetadata: string): Promise<string> {
    this.check();
    this.relayCalls.push(txMetadata);
    this.throwQueuedFailure('nextRelayFailure');
    const tx = this.txs.get(txMetadata.replace(/^meta:/, ''));
    if (!tx) throw new Error('bad tx metadata');
    if (this.refusedRelays.has(tx.hash)) throw new Error('Failed to relay tx: transaction was rejected by daemon');
    if (tx.height !== undefined) return tx.hash; // already relayed: same hash, no error
    const inputs = tx.inputs.map((k) => this.outputs.find((o) => o.keyImage === k)!);
    if (inputs.some((o) => o.spentBy)) throw new Error('Failed to commit tx: double spend');
    for (const o of inputs) o.spentBy = tx.hash;
    if (tx.change > 0n) this.outputs.push({ keyImage: `change-${tx.hash}`, amount: tx.change, height: null, unlockTime: 0n });
    tx.height = null;
    return tx.hash;
  }

  /** The daemon keeps this pool transaction but never relays it (as after its own restart). */
  holdUnrelayed(hash: string): void {
    this.unrelayed.add(hash);
  }

  async relayPooled(txHashes: string[]): Promise<void> {
    this.check();
    this.relayPooledCalls.push(txHashes);
    for (const h of txHashes) this.unrelayed.delete(h);
  }

  async refreshToDaemon(): Promise<{ wallet: number; daemon: number }> {
    this.check();
    const lag = this.walletLag;
    this.walletLag = 0;
    return { wallet: this.height - lag, daemon: this.height };
  }

  async txStates(txHashes: string[]): Promise<Map<string, TxState>> {
    this.check();
    const states = new Map<string, TxState>();
    for (const h of txHashes) {
      const tx = this.txs.get(h);
      if (!tx || tx.height === undefined) states.set(h, { state: 'unknown' });
      else if (tx.height === null) states.set(h, { state: 'pool', doubleSpendSeen: false, relayed: !this.unrelayed.has(h) });
      else states.set(h, { state: 'mined', height: tx.height, confirmations: this.height - tx.height });
    }
    return states;
  }

  async keyImageStates(keyImages: string[]): Promise<KeyImageState[]> {
    this.check();
    return keyImages.map((k) => {
      const o = this.outputs.find((x) => x.keyImage === k);
      const spender = o?.spentBy ? this.txs.get(o.spentBy) : undefined;
      if (!spender) return 'unspent';
      return spender.height === null ? 'pool' : 'chain';
    });
  }

  async replaceInputs(keyImages: string[]): Promise<string> {
    this.check();
    const input = this.outputs.find((o) => o.keyImage === keyImages[0]);
    if (!input || input.spentBy) throw new Error('key image already spent or unknown');
    const hash = this.hash('replacement');
    const change = input.amount - this.feePerTx;
    this.txs.set(hash, { hash, inputs: [input.keyImage], destinations: [], fee: this.feePerTx, change, height: null });
    input.spentBy = hash;
    if (change > 0n) this.outputs.push({ keyImage: `change-${hash}`, amount: change, height: null, unlockTime: 0n });
    return hash;
  }

  /** Spends outputs behind the worker's back (as another wallet holding the same keys would). */
  spendElsewhere(keyImages: string[]): void {
    const hash = this.hash('elsewhere');
    this.txs.set(hash, { hash, inputs: keyImages, destinations: [], fee: 0n, change: 0n, height: this.height - 1 });
    for (const o of this.outputs) if (keyImages.includes(o.keyImage)) o.spentBy = hash;
  }

  async checkAddress(address: string): Promise<AddressCheck> {
    this.check();
    const network = (Object.keys(PREFIX) as AddressNetwork[]).find((n) => (PREFIX[n] as readonly string[]).includes(address.charAt(0)));
    if (!network || !/^[1-9A-HJ-NP-Za-km-z]+$/.test(address) || (address.length !== 95 && address.length !== 106)) {
      return { valid: false, integrated: false, subaddress: false };
    }
    const own = this.subaddresses.indexOf(address);
    return {
      valid: true,
      integrated: address.length === 106,
      subaddress: address[0] === PREFIX[network][1],
      network,
      ...(own >= 0 ? { ownSubaddressIndex: own } : {}),
    };
  }

  async balance() {
    this.check();
    const unspent = this.outputs.filter((o) => !o.spentBy);
    return {
      balance: unspent.reduce((s, o) => s + o.amount, 0n),
      unlocked: unspent.filter((o) => this.unlocked(o)).reduce((s, o) => s + o.amount, 0n),
    };
  }

  async feePerByte(): Promise<bigint> {
    this.check();
    return this.perByte;
  }

  private unlocked(o: Output): boolean {
    return o.height !== null && o.unlockTime === 0n && this.height - o.height >= UNLOCK;
  }

  private check(): void {
    if (this.down) throw new ChainUnavailableError('fake wallet-rpc is down');
  }

  /** Throws the failure a test queued for the next sign/relay call, once. */
  private throwQueuedFailure(which: 'nextSignFailure' | 'nextRelayFailure'): void {
    const failure = this[which];
    this[which] = undefined;
    if (failure) throw failure;
  }

  private hash(seed: string): string {
    return createHash('sha256').update(`${seed}-${++this.counter}`).digest('hex');
  }
}
