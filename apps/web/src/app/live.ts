import { useEffect, useRef, useState } from 'react';
import { apiClient } from './services';

export type LiveMode = 'connecting' | 'live' | 'polling';

/**
 * Event types of the Transactions API's streams (GET /events, GET /trades/{id}/stream). Named
 * events do not reach `onmessage`, so each is listened for explicitly; to the pages every one of
 * them just means "something changed: reload". `ready` says the subscription is live.
 */
export const STREAM_EVENTS = [
  'trade_created',
  'trade_paid',
  'trade_completed',
  'trade_cancelled',
  'trade_expired',
  'trade_disputed',
  'trade_resolved',
  'message',
  'feedback',
] as const;

/**
 * Subscribes to a server-sent event stream of the gateway (token in ?access_token=, since
 * EventSource cannot send headers). When the stream fails the mode becomes "polling" (the caller
 * polls instead) and the stream is retried later with a freshly refreshed token.
 */
export function useEventStream(path: string | null, onEvent: (type: string, data: unknown) => void, retryMs = 20_000): LiveMode {
  const [mode, setMode] = useState<LiveMode>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!path || typeof EventSource === 'undefined') {
      setMode('polling');
      return;
    }
    let source: EventSource | undefined;
    let retry: number | undefined;
    let closed = false;

    const open = async () => {
      setMode('connecting');
      const token = await apiClient.freshAccessToken();
      if (closed) return;
      if (!token) {
        setMode('polling');
        return;
      }
      source = new EventSource(apiClient.url(path, { access_token: token }));
      source.addEventListener('ready', () => setMode('live'));
      const deliver = (event: MessageEvent) => {
        let data: unknown = event.data;
        try {
          data = JSON.parse(event.data as string);
        } catch {
          /* plain text event */
        }
        handler.current(event.type, data);
      };
      for (const name of STREAM_EVENTS) source.addEventListener(name, deliver as EventListener);
      source.onerror = () => {
        // The browser would reconnect with the same (possibly expired) token: take over instead.
        source?.close();
        source = undefined;
        if (closed) return;
        setMode('polling');
        retry = window.setTimeout(() => void open(), retryMs);
      };
    };
    void open();
    return () => {
      closed = true;
      source?.close();
      if (retry) window.clearTimeout(retry);
    };
  }, [path, retryMs]);

  return mode;
}

/** Tells other parts of the page that balances may have changed (faucet, trade completed...). */
export const WALLET_CHANGED = 'pupero:wallet-changed';
export function announceWalletChange(): void {
  window.dispatchEvent(new Event(WALLET_CHANGED));
}
export function useWalletChanged(fn: () => void): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    const listener = () => saved.current();
    window.addEventListener(WALLET_CHANGED, listener);
    return () => window.removeEventListener(WALLET_CHANGED, listener);
  }, []);
}
