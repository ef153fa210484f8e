import { useState } from 'react';
import { Button } from './Button';
import './ui.css';

/** Copies text to the clipboard and says so (to screen readers too). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    window.setTimeout(() => setState('idle'), 2000);
  };
  return (
    <>
      <Button
        variant="secondary"
        small
        onClick={() => void copy()}
        aria-label={`${label}: ${text.length > 24 ? 'copy to clipboard' : text}`}
      >
        {state === 'copied' ? 'Copied' : label}
      </Button>
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Copy failed; select the text and copy it by hand' : ''}
      </span>
    </>
  );
}
