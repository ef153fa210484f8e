import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again; `quiet` keeps the current data on screen (background refresh). */
  reload(quiet?: boolean): Promise<void>;
  setData(value: T | ((previous: T | undefined) => T)): void;
}

/** Runs an async loader when `deps` change; the latest call wins. */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList, enabled = true): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(enabled);
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(async (quiet = false) => {
    const mine = ++generation.current;
    if (!quiet) setLoading(true);
    try {
      const value = await loader.current();
      if (mine === generation.current) {
        setData(value);
        setError(undefined);
      }
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    setData(undefined);
    void reload();
    return () => {
      // eslint-disable-next-line react-hooks/exhaustive-deps -- a counter, not a DOM node: bumping the current value is the point (the load in flight is dropped)
      generation.current++;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps, as with useEffect; `reload` is stable
  }, [...deps, enabled]);

  return { data, error, loading, reload, setData: setData };
}

/** Calls `fn` every `ms` while the page is visible (null pauses it). */
export function useInterval(fn: () => void, ms: number | null): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (ms === null) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') saved.current();
    }, ms);
    return () => window.clearInterval(timer);
  }, [ms]);
}

/** The current time, re-rendering every `ms` (for countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

/** A submit/action runner: busy flag, error, and no double submission. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const running = useRef(false);
  const saved = useRef(action);
  saved.current = action;
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      return await saved.current(...args);
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { run, busy, error, setError };
}

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Pupero` : 'Pupero';
  }, [title]);
}
