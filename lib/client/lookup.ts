import { useEffect, useState } from "react";
import { loadWithRetry } from "./api-fetch";

/** Answers by URL, kept for the page's session: for look-ups whose results do not change (NAICS titles). */
const lookups = new Map<string, unknown>();

/**
 * JSON from a Beacon route that depends on what people type (`url` null: nothing to look up);
 * each URL is fetched once, with one retry, and the answer reused when the same text comes back.
 */
export function useLookup<T>(url: string | null) {
  const [failed, setFailed] = useState<{ url: string; error: Error } | null>(null);
  const [, setLoaded] = useState(0);
  useEffect(() => {
    if (url === null || lookups.has(url)) return;
    let current = true;
    loadWithRetry<T>(url).then(
      (data) => {
        lookups.set(url, data);
        if (current) setLoaded((n) => n + 1);
      },
      (error: Error) => {
        if (current) setFailed({ url, error });
      },
    );
    return () => {
      current = false;
    };
  }, [url]);
  const data = url === null ? undefined : (lookups.get(url) as T | undefined);
  const isError = data === undefined && url !== null && failed?.url === url;
  return {
    data,
    isError,
    isPending: data === undefined && !isError,
    isFetching: url !== null && data === undefined && !isError,
  };
}
