"use client";

import {
  HydrationBoundary,
  QueryClient,
  QueryClientProvider,
  isServer,
  type DehydratedState,
} from "@tanstack/react-query";
import { useState, useSyncExternalStore, type ComponentType, type ReactNode } from "react";

function makeQueryClient() {
  return new QueryClient({
    // A failed load is tried once more (a blip on a phone should not show an error); data younger
    // than 10 s is not reloaded when a page mounts or the window regains focus.
    defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: true } },
  });
}

let browserClient: QueryClient | undefined;

/** One client per browser session, shared by every data island so its cache outlives a page; one per server render. */
export function productQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}

/**
 * The product area's TanStack Query provider. `seed` is what the server read for the page
 * (./seed.ts): the island renders with it, and the browser's cache takes it when it is newer.
 */
export function ProductQueries({ seed, children }: { seed?: DehydratedState; children: ReactNode }) {
  const [client] = useState(productQueryClient);
  return (
    <QueryClientProvider client={client}>
      {seed ? <HydrationBoundary state={seed}>{children}</HydrationBoundary> : children}
    </QueryClientProvider>
  );
}

const subscribeNever = () => () => {};
/** False while the server's HTML is being hydrated, true from then on (and at once on a client-side navigation). */
function useHydrated() {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}

export type SeededProps<P> = P & { seed?: DehydratedState };

/**
 * A component that reads and changes data through TanStack Query, as a data island
 * (./islands.tsx). Its module declares it, so the island's chunk holds the component, this
 * provider and the library together.
 */
export function withProductQueries<P extends object>(Component: ComponentType<P>): ComponentType<SeededProps<P>> {
  function DataIslandContent({ seed, ...props }: SeededProps<P>) {
    // Until it is hydrated the island's controls would drop what is done to them (a radio
    // checked, a field typed in): they stay disabled until then.
    const hydrated = useHydrated();
    return (
      <ProductQueries seed={seed}>
        <fieldset disabled={!hydrated} className="min-w-0">
          <Component {...(props as P)} />
        </fieldset>
      </ProductQueries>
    );
  }
  return DataIslandContent;
}
