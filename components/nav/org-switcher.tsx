"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
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

  function choose(orgId: string) {
    setPendingId(orgId);
    startTransition(async () => {
      await switchOrgAction(orgId);
      // Server components above this one read the org cookie; re-render them with the new org.
      router.refresh();
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
                onClick={() => choose(org.id)}
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
