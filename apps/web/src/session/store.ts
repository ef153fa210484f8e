import type { UserRef } from '../api/types';

/**
 * Where the session lives: localStorage under one key, so a session survives reloads and is shared
 * by the tabs of this browser (logging out in one tab logs out all of them, via the `storage`
 * event). The refresh token rotates on every use and reusing an old one revokes the session, so
 * tabs must never refresh at the same time: the API client serialises refreshes across tabs with
 * the Web Locks API and re-reads this store after taking the lock.
 */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires (by this browser's clock, measured at receipt). */
  expiresAt: number;
  user: UserRef;
}

export type SessionEndReason = 'logout' | 'expired';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const SESSION_KEY = 'pupero.session';

function parse(raw: string | null): StoredSession | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (
      typeof value.accessToken === 'string' &&
      typeof value.refreshToken === 'string' &&
      typeof value.expiresAt === 'number' &&
      value.user
    ) {
      return value as StoredSession;
    }
  } catch {
    /* corrupted: treat as logged out */
  }
  return null;
}

export class SessionStore {
  private listeners = new Set<() => void>();
  private cachedRaw: string | null | undefined;
  private cached: StoredSession | null = null;
  /** Why the last session ended (shown on the login page). */
  lastEnd: SessionEndReason | null = null;

  constructor(private readonly storage: KeyValueStorage) {}

  /** The current session, read from storage every time (another tab may have rotated it). */
  get(): StoredSession | null {
    const raw = this.storage.getItem(SESSION_KEY);
    if (raw !== this.cachedRaw) {
      this.cachedRaw = raw;
      this.cached = parse(raw);
    }
    return this.cached;
  }

  set(session: StoredSession): void {
    this.storage.setItem(SESSION_KEY, JSON.stringify(session));
    this.lastEnd = null;
    this.emit();
  }

  clear(reason: SessionEndReason): void {
    if (this.storage.getItem(SESSION_KEY) === null) return;
    this.storage.removeItem(SESSION_KEY);
    this.lastEnd = reason;
    this.emit();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called when another tab changed the stored session. */
  externalChange(): void {
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export class MemoryStorage implements KeyValueStorage {
  private map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}
