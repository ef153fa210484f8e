import type { ChainProcess, ProcessState } from '@pupero/monero';

const LABELS: Record<ChainProcess, string> = {
  monerod: 'The Monero daemon (monerod)',
  'hot-wallet-rpc': "The hot wallet's monero-wallet-rpc",
  'faucet-wallet-rpc': "The dev faucet's monero-wallet-rpc",
};

/** The readiness check / status entry for the supervised chain processes (or only some): null when all are up. */
export function processProblem(states: Partial<Record<ChainProcess, ProcessState>>, only?: ChainProcess[]): string | null {
  const down = (Object.entries(states) as Array<[ChainProcess, ProcessState]>).filter(
    ([name, s]) => !s.up && (!only || only.includes(name)),
  );
  if (down.length === 0) return null;
  return down
    .map(([name, s]) => {
      const exit = s.lastExit ? ` (exited with ${s.lastExit.signal ?? `code ${s.lastExit.code}`} at ${s.lastExit.at.toISOString()})` : '';
      const next = s.gaveUp
        ? 'restarting it failed too often; see its log under DATA_DIR/monero/logs and restart Pupero'
        : 'it is being restarted';
      return `${LABELS[name]} is down${exit}; ${next}.`;
    })
    .join(' ');
}
