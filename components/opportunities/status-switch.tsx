import Link from "next/link";
import { STATUS_FILTER_VALUES, type StatusFilterValue } from "@/lib/opportunities";

const LABELS: Record<StatusFilterValue, string> = {
  open: "Open",
  closed: "Closed",
  awarded: "Awarded",
  cancelled: "Cancelled",
  all: "All notices",
};

/** Which statuses a search shows; it lives in the URL (`status=`, default open) like every filter. */
export function StatusSwitch({
  params,
  current,
}: {
  params: Record<string, string | string[]>;
  current: StatusFilterValue;
}) {
  const hrefFor = (status: StatusFilterValue) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (key === "cursor" || key === "status") continue;
      for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
    }
    if (status !== "open") search.set("status", status);
    const query = search.toString();
    return query ? `/opportunities?${query}` : "/opportunities";
  };
  return (
    <nav aria-label="Notice status" className="mt-4 flex flex-wrap gap-2">
      {STATUS_FILTER_VALUES.map((status) => (
        <Link
          key={status}
          href={hrefFor(status)}
          aria-current={status === current ? "page" : undefined}
          className={[
            "rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
            status === current
              ? "bg-indigo-600 text-white ring-indigo-600"
              : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
          ].join(" ")}
        >
          {LABELS[status]}
        </Link>
      ))}
    </nav>
  );
}
