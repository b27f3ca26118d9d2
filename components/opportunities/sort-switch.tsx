import Link from "next/link";
import type { SearchSort } from "@/lib/opportunities";

const LABELS: Record<SearchSort, string> = { relevance: "Best match", newest: "Newest", fit: "Best fit" };

/**
 * How results are ordered; it lives in the URL (`sort=`, default relevance) like every filter.
 * "Best fit" is offered once the org has described its business: it is measured against that.
 */
export function SortSwitch({
  params,
  current,
  withFit,
}: {
  params: Record<string, string | string[]>;
  current: SearchSort;
  withFit: boolean;
}) {
  const sorts: SearchSort[] = withFit || current === "fit" ? ["relevance", "newest", "fit"] : ["relevance", "newest"];
  const hrefFor = (sort: SearchSort) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (key === "cursor" || key === "sort") continue;
      for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
    }
    if (sort !== "relevance") search.set("sort", sort);
    const query = search.toString();
    return query ? `/opportunities?${query}` : "/opportunities";
  };
  return (
    <nav aria-label="Sort results" className="mt-3 flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-600">Sort:</span>
      {sorts.map((sort) => (
        <Link
          key={sort}
          href={hrefFor(sort)}
          aria-current={sort === current ? "true" : undefined}
          className={[
            "rounded px-2 py-0.5 font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
            sort === current ? "bg-slate-800 text-white" : "text-indigo-700 underline hover:bg-slate-50",
          ].join(" ")}
        >
          {LABELS[sort]}
        </Link>
      ))}
    </nav>
  );
}
