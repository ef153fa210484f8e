import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { LoginResponse, Me } from '../api/types';
import { api, apiClient, sessionStore } from '../app/services';
import type { StoredSession } from './store';

interface SessionValue {
  session: StoredSession | null;
  /** GET /auth/me of the logged-in user (roles, 2FA state); undefined while loading. */
  me: Me | undefined;
  isModerator: boolean;
  isAdmin: boolean;
  signIn: (response: LoginResponse) => void;
  signOut: () => Promise<void>;
  reloadMe: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore(
    (listener) => sessionStore.subscribe(listener),
    () => sessionStore.get(),
  );
  const userId = session?.user.id;
  const [me, setMe] = useState<Me | undefined>(undefined);

  const reloadMe = useCallback(async () => {
    if (!sessionStore.get()) return;
    try {
      setMe(await api.auth.me());
    } catch {
      /* the session may have just ended; the store listener handles that */
    }
  }, []);

  useEffect(() => {
    setMe(undefined);
    if (userId) void reloadMe();
  }, [userId, reloadMe]);

  const signIn = useCallback((response: LoginResponse) => {
    sessionStore.set({
      accessToken: response.access_token,
      refreshToken: response.refresh_token,
      expiresAt: Date.now() + response.expires_in * 1000,
      user: { id: response.user.id, username: response.user.username },
    });
  }, []);

  const signOut = useCallback(async () => {
    const current = sessionStore.get();
    if (current) {
      // Revoke the refresh token on the server; the local session ends whatever the answer.
      await api.auth.logout(current.refreshToken).catch(() => undefined);
    }
    sessionStore.clear('logout');
  }, []);

  const value = useMemo<SessionValue>(() => {
    const roles = me?.roles ?? [];
    return {
      session,
      me,
      isModerator: roles.includes('moderator') || roles.includes('admin'),
      isAdmin: roles.includes('admin'),
      signIn,
      signOut,
      reloadMe,
    };
  }, [session, me, signIn, signOut, reloadMe]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export { apiClient };
