/** Loading API data into components: the latest answer wins, and live events refresh without flicker. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change; a slower earlier answer never overwrites a newer one. */
export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(() => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    loader.current().then(
      (data) => {
        if (ticket === latest.current) setState({ data, loading: false });
      },
      (error: Error) => {
        if (ticket === latest.current) setState((previous) => ({ ...previous, error, loading: false }));
      },
    );
  }, []);

  useEffect(reload, deps);
  useEffect(
    () => () => {
      latest.current += 1;
    },
    [],
  );
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/**
 * A function that runs `fn` at most once per `ms`, trailing: a burst of live events (one per
 * meter value) becomes one reload.
 */
export function useThrottled(fn: () => void, ms: number): () => void {
  const target = useRef(fn);
  target.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      target.current();
    }, ms);
  }, [ms]);
}
