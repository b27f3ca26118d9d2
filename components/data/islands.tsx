"use client";

import { lazy, Suspense, type ComponentType, type ReactNode } from "react";

// The parts of product pages that read and change data through TanStack Query. Each renders on
// the server with its page; in the browser its code and the library (about 10 kB gzip) load
// after the page's own scripts, and the part becomes interactive when they arrive: the page's
// first-load JS stays within budget and the rest of the page does not wait for them.

/** `load` imports a component made by withProductQueries (./product-queries.tsx). */
function dataIsland<Props extends object>(
  load: () => Promise<ComponentType<Props>>,
  fallback: ReactNode,
): ComponentType<Props> {
  const Loaded = lazy(async () => ({ default: await load() }));
  function DataIsland(props: Props) {
    // The fallback shows only on a client-side navigation; a server-rendered island stays on screen until it hydrates.
    return (
      <Suspense fallback={fallback}>
        <Loaded {...props} />
      </Suspense>
    );
  }
  return DataIsland;
}

function loading(what: string) {
  return (
    <p className="py-4 text-slate-600" role="status">
      Loading {what}…
    </p>
  );
}

export const AlertsManager = dataIsland(
  () => import("@/components/alerts/alerts-manager").then((m) => m.AlertsIsland),
  loading("your alerts"),
);
export const TeamManager = dataIsland(
  () => import("@/components/settings/team-manager").then((m) => m.TeamIsland),
  loading("your team"),
);
export const ApiKeysManager = dataIsland(
  () => import("@/components/settings/api-keys-manager").then((m) => m.ApiKeysIsland),
  loading("keys"),
);
export const ChannelsManager = dataIsland(
  () => import("@/components/settings/channels-manager").then((m) => m.ChannelsIsland),
  loading("channels"),
);
