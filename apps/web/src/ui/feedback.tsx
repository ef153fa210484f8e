/** Loading, empty, error and notice blocks. */
import type { ReactNode } from 'react';
import { errorMessage } from '../errors/messages';
import { Button } from './Button';
import './ui.css';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

/** What a block that loads shows: a spinner on the first load, then the load's error with a retry, else its content. */
export function Loaded({
  state,
  children,
}: {
  state: { loading: boolean; data: unknown; error: unknown; reload: () => unknown };
  children: ReactNode;
}) {
  if (state.loading && !state.data) return <Loading />;
  if (state.error) return <ErrorNotice error={state.error} onRetry={() => void state.reload()} />;
  return <>{children}</>;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <span>{errorMessage(error)}</span>
      {onRetry && (
        <Button variant="secondary" small onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/** A form-level error (or any message) shown right beside the action it concerns. */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert">
      {message}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning' | 'error'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="notice-body">{children}</div>
    </div>
  );
}
