import { useState, type FormEvent } from 'react';
import { api } from '../app/services';
import { announceWalletChange } from '../app/live';
import { useAction, useAsync } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { checkXmrInput } from '../money/amount';
import { useSession } from '../session/SessionContext';
import { Button } from '../ui/Button';
import './devchain.css';

/**
 * Shown only on the local regtest chain: free test XMR to the user's own deposit address and
 * a button to mine blocks so confirmations arrive at once.
 */
export function DevChainBanner() {
  const { session } = useSession();
  const address = useAsync(() => api.wallet.depositAddress(), [session?.user.id], !!session);
  const [amount, setAmount] = useState('10');
  const [result, setResult] = useState<string>();

  const faucet = useAction(async () => {
    const check = checkXmrInput(amount);
    if (!check.ok) throw new Error(check.message);
    const { txid } = await api.dev.faucet(address.data!.address, check.text);
    setResult(`Sent ${check.text} XMR to your deposit address (tx ${txid.slice(0, 10)}…). It is credited once confirmed.`);
    announceWalletChange();
  });
  const mine = useAction(async () => {
    const { height } = await api.dev.mine(10);
    setResult(`Mined 10 blocks; the chain is at height ${height}.`);
    announceWalletChange();
  });

  if (!session || address.data?.network !== 'regtest') return null;
  const error = faucet.error ?? mine.error;
  return (
    <aside className="devchain" aria-label="Dev chain tools">
      <div className="devchain-inner">
        <strong className="devchain-tag">Dev chain</strong>
        <span className="devchain-text">
          Local regtest network<span className="hide-phone">: coins here have no value</span>.
        </span>
        <form
          className="devchain-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void faucet.run();
          }}
        >
          <label htmlFor="faucet-amount" className="visually-hidden">
            Faucet amount in XMR
          </label>
          <input
            id="faucet-amount"
            className="devchain-input"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
          <Button type="submit" small busy={faucet.busy}>
            Get test XMR
          </Button>
          <Button small variant="secondary" busy={mine.busy} onClick={() => void mine.run()} aria-label="Mine 10 blocks">
            <span>
              Mine 10<span className="hide-phone"> blocks</span>
            </span>
          </Button>
        </form>
      </div>
      {(result || !!error) && (
        <p className={`devchain-result${error ? ' is-error' : ''}`} role={error ? 'alert' : 'status'}>
          {error ? errorMessage(error) : result}
        </p>
      )}
    </aside>
  );
}
