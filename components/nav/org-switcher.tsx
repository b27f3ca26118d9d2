"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type MouseEvent } from "react";
import { switchOrgAction } from "@/app/(app)/actions";

export interface OrgSwitcherOrg {
  id: string;
  name: string;
  plan: string;
}

/** Lists the viewer's organisations; choosing one makes it the current org for every page. */
export function OrgSwitcher({ orgs, currentOrgId }: { orgs: OrgSwitcherOrg[]; currentOrgId: string | null }) {
  const router = useRouter();
  const headingId = useId();
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  function choose(orgId: string, event: MouseEvent<HTMLButtonElement>) {
    const menu = event.currentTarget.closest("details");
    setPendingId(orgId);
    startTransition(async () => {
      try {
        await switchOrgAction(orgId);
        // Server components read the org cookie; re-render them with the new org.
        router.refresh();
      } finally {
        // The header lives in the root layout and survives navigation, so its menu is closed by hand.
        menu?.removeAttribute("open");
      }
    });
  }

  return (
    <div role="group" aria-labelledby={headingId} className="py-1">
      <p id={headingId} className="px-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        Switch organisation
      </p>
      <ul className="space-y-0.5">
        {orgs.map((org) => {
          const current = org.id === currentOrgId;
          const busy = isPending && pendingId === org.id;
          return (
            <li key={org.id}>
              <button
                type="button"
                onClick={(event) => choose(org.id, event)}
                disabled={current || isPending}
                aria-current={current ? "true" : undefined}
                aria-busy={busy || undefined}
                className="flex w-full items-center justify-between gap-2 rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 disabled:cursor-default disabled:hover:bg-transparent aria-[current=true]:font-semibold aria-[current=true]:text-slate-900"
              >
                <span className="truncate">{org.name}</span>
                <span className="shrink-0 text-xs text-slate-500">
                  {busy ? "Switching…" : current ? <CurrentMark /> : <span className="capitalize">{org.plan}</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function CurrentMark() {
  return (
    <>
      <span aria-hidden="true">✓</span>
      <span className="sr-only">(current)</span>
    </>
  );
}
