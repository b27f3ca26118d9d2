import type { ReactNode } from "react";
import Link from "next/link";
import { requireOperator } from "@/lib/auth/next";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const operator = await requireOperator("/admin/ops");
  return (
    <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-4">
        <nav aria-label="Cockpit" className="flex flex-wrap gap-4 text-sm font-medium">
          <Link href="/admin/ops" className="text-slate-700 hover:text-indigo-700">
            Overview
          </Link>
          <Link href="/admin/ops/emails" className="text-slate-700 hover:text-indigo-700">
            E-mails
          </Link>
          <Link href="/admin/ops/alerts" className="text-slate-700 hover:text-indigo-700">
            Alerts
          </Link>
          <Link href="/admin/ops/jobs" className="text-slate-700 hover:text-indigo-700">
            Job runs
          </Link>
          <Link href="/admin/ops/dead-letters" className="text-slate-700 hover:text-indigo-700">
            Dead letters
          </Link>
          <Link href="/admin/ops/stripe-events" className="text-slate-700 hover:text-indigo-700">
            Stripe events
          </Link>
          <Link href="/admin/ops/audit" className="text-slate-700 hover:text-indigo-700">
            Audit log
          </Link>
          <Link href="/admin/ops/config" className="text-slate-700 hover:text-indigo-700">
            Config
          </Link>
        </nav>
        <p className="text-sm text-slate-600">
          {operator.user.email} · <span className="font-medium text-amber-700">{operator.operatorRole}</span>
        </p>
      </div>
      {children}
    </main>
  );
}
