import Link from "next/link";

export interface StatusTab {
  key: string;
  label: string;
  count?: number;
  href: string;
}

/** Tabs over one list (status, segment) with their counts; the current one is marked for screen readers. */
export function StatusTabs({ tabs, current, label }: { tabs: StatusTab[]; current: string; label: string }) {
  return (
    <nav aria-label={label} className="mb-4 flex flex-wrap gap-2 text-sm">
      {tabs.map((tab) => {
        const active = tab.key === current;
        return (
          <Link
            key={tab.key}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 ${active ? "bg-indigo-600 text-white" : "bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"}`}
          >
            {tab.label}
            {tab.count !== undefined ? (
              <span className="tabular-nums"> ({tab.count.toLocaleString("en-US")})</span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
