import type { ReactNode } from "react";
import Link from "next/link";
import { requireOperator } from "@/lib/auth/next";
import { COCKPIT_PAGES } from "./cockpit-pages";
import { IncidentBanner } from "./incident-banner";
import { cockpitWriteStateFor } from "./ops/break-glass-cookie";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const operator = await requireOperator("/admin/ops");
  const { incident, breakGlass } = await cockpitWriteStateFor(operator.user.id);
  return (
    <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-4">
        <nav aria-label="Cockpit" className="flex flex-wrap gap-4 text-sm font-medium">
          {COCKPIT_PAGES.map(({ href, label }) => (
            <Link key={href} href={href} className="text-slate-700 hover:text-indigo-700">
              {label}
            </Link>
          ))}
        </nav>
        <p className="text-sm text-slate-600">
          {operator.user.email} · <span className="font-medium text-amber-700">{operator.operatorRole}</span>
        </p>
      </div>
      <IncidentBanner incident={incident} breakGlass={breakGlass} />
      {children}
    </main>
  );
}
