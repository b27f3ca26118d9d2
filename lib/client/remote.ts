import { useCallback, useEffect, useRef, useState } from "react";
import { loadWithRetry } from "./api-fetch";

// The little of TanStack Query the customer pages used (load, refresh after a change, mutation
// state), in a few hundred bytes: the library is ~15 kB gzip of first-load JS, most of a page's
// budget. The cockpit's live refresh keeps TanStack Query (app/admin/query-provider.tsx).

/** Data older than this is reloaded when the window regains focus. */
const STALE_MS = 10_000;

export type RemoteData<T> =
  | { data: T; error: Error | null; isPending: false; isError: boolean }
  | { data: undefined; error: null; isPending: true; isError: false }
  | { data: undefined; error: Error; isPending: false; isError: true };

/**
 * JSON from a Beacon route for a client component: loaded on mount unless `initialData` is given,
 * reloaded by `refresh()` (after a change) and when the window regains focus with data older than
 * 10 s. A failed reload keeps the data it had and reports the error.
 */
export function useRemoteData<T>(url: string, initialData?: T): RemoteData<T> & { refresh: () => void } {
  const [state, setState] = useState<{ data?: T; error: Error | null }>({ data: initialData, error: null });
  const loadedAt = useRef(0);
  const latest = useRef(0);
  const mounted = useRef(false);

  const refresh = useCallback(() => {
    const request = ++latest.current;
    loadWithRetry<T>(url).then(
      (data) => {
        if (!mounted.current || request !== latest.current) return;
        loadedAt.current = Date.now();
        setState({ data, error: null });
      },
      (error: Error) => {
        if (mounted.current && request === latest.current) setState((prev) => ({ data: prev.data, error }));
      },
    );
  }, [url]);

  const hasInitialData = initialData !== undefined;
  useEffect(() => {
    mounted.current = true;
    if (hasInitialData) loadedAt.current = Date.now();
    else refresh();
    const onFocus = () => {
      if (document.visibilityState === "visible" && Date.now() - loadedAt.current > STALE_MS) refresh();
    };
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onFocus);
    return () => {
      mounted.current = false; // answers arriving after unmount are dropped
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onFocus);
    };
  }, [hasInitialData, refresh]);

  const { data, error } = state;
  if (data !== undefined) return { data, error, isPending: false, isError: error !== null, refresh };
  if (error) return { data: undefined, error, isPending: false, isError: true, refresh };
  return { data: undefined, error: null, isPending: true, isError: false, refresh };
}

/** A change sent to a Beacon route: `mutate` runs it; pending, error and variables are kept for the UI. */
export function useRemoteAction<V, R>(
  run: (variables: V) => Promise<R>,
  on: { onSuccess?: (result: R, variables: V) => void; onError?: (error: Error) => void; onSettled?: () => void } = {},
) {
  const [state, setState] = useState<{ isPending: boolean; error: Error | null; variables?: V }>({
    isPending: false,
    error: null,
  });

  function mutate(variables: V) {
    setState({ isPending: true, error: null, variables });
    run(variables).then(
      (result) => {
        setState({ isPending: false, error: null, variables });
        on.onSuccess?.(result, variables);
        on.onSettled?.();
      },
      (error: Error) => {
        setState({ isPending: false, error, variables });
        on.onError?.(error);
        on.onSettled?.();
      },
    );
  }

  return { ...state, isError: state.error !== null, mutate };
}
