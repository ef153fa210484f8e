import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatMessage } from '../api/types';
import { api } from '../app/services';
import { useAction } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { Button } from '../ui/Button';
import { FormError } from '../ui/feedback';
import { formatDateTime } from '../ui/values';

const MAX_MESSAGE = 2000;

export function Chat({
  tradeId,
  messages,
  meId,
  canWrite,
  onSent,
  loading,
}: {
  tradeId: string;
  messages: ChatMessage[];
  meId: string;
  canWrite: boolean;
  loading: boolean;
  onSent: (message: ChatMessage) => void;
}) {
  const [text, setText] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const send = useAction(async () => {
    const body = text.trim();
    if (!body) return;
    onSent(await api.trades.sendMessage(tradeId, body));
    setText('');
  });
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send.run();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send.run();
    }
  };

  return (
    <div className="chat">
      <ol className="chat-messages" ref={list} aria-label="Messages" aria-live="polite" tabIndex={0}>
        {messages.length === 0 && (
          <li className="muted chat-empty">
            {loading ? 'Loading messages…' : 'No messages yet. Say hello and agree on the payment details here.'}
          </li>
        )}
        {messages.map((m) => {
          const mine = m.author?.id === meId;
          return (
            <li key={m.id} className={`chat-message${mine ? ' mine' : ''}${!m.author ? ' system' : ''}`}>
              <div className="chat-meta">
                <span className="chat-author">{mine ? 'You' : (m.author?.username ?? 'Pupero')}</span>
                {m.author_role === 'moderator' && <span className="badge badge-info">moderator</span>}{' '}
                <time dateTime={m.created_at}>{formatDateTime(m.created_at)}</time>
              </div>
              <div className="chat-body">{m.body}</div>
            </li>
          );
        })}
      </ol>
      {canWrite ? (
        <form className="chat-form" onSubmit={submit}>
          <label htmlFor="chat-input" className="visually-hidden">
            Your message
          </label>
          <textarea
            id="chat-input"
            rows={2}
            maxLength={MAX_MESSAGE}
            placeholder="Write a message…"
            title="Enter sends; Shift+Enter starts a new line"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKey}
          />
          <Button type="submit" busy={send.busy} disabled={!text.trim()}>
            Send
          </Button>
        </form>
      ) : (
        <p className="muted small">The chat is closed for this trade.</p>
      )}
      <FormError message={send.error ? errorMessage(send.error) : undefined} />
    </div>
  );
}
