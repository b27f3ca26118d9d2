"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: true },
    },
  });
}

/**
 * TanStack Query for the cockpit's live views. Only /admin/* pays for it (~12 kB gzip of
 * first-load JS): customer pages load data with lib/client/remote.ts. The admin layout survives
 * navigations between cockpit pages, so one QueryClient keeps its cache across them.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
