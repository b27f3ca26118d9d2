import { QueryClient, QueryObserver } from "@tanstack/react-query";
import type { OpsOverview } from "@/lib/ops";

export const REFRESH_MS = 15_000;

async function fetchOverview(): Promise<OpsOverview> {
  const response = await fetch("/api/admin/stats", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`GET /api/admin/stats answered ${response.status}`);
  return (await response.json()) as OpsOverview;
}

export interface OverviewSnapshot {
  data: OpsOverview;
  updatedAt: number;
  failed: boolean;
}

/**
 * TanStack Query's observer polling the stats API every 15 s (and on window focus), seeded with
 * the server-rendered data. Loaded after the first paint, so the overview's first-load JS does
 * not carry it. Returns the unsubscribe.
 */
export function pollOverview(initial: OpsOverview, onChange: (snapshot: OverviewSnapshot) => void): () => void {
  const client = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });
  const observer = new QueryObserver(client, {
    queryKey: ["admin", "stats"],
    queryFn: fetchOverview,
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.generated_at),
    refetchInterval: REFRESH_MS,
  });
  const unsubscribe = observer.subscribe((result) =>
    onChange({ data: result.data ?? initial, updatedAt: result.dataUpdatedAt, failed: result.isError }),
  );
  client.mount();
  return () => {
    unsubscribe();
    client.unmount();
    client.clear();
  };
}
