import { setAsideLabel, stateName } from "@/lib/onboarding/options";

export interface FiltersSummaryProps {
  naics: { code: string; title: string }[];
  keywords: string[];
  setAsides: string[];
  states: string[];
}

/** What an alert (or the matches) will look for, in words. */
export function FiltersSummary({ naics, keywords, setAsides, states }: FiltersSummaryProps) {
  const rows: [string, string][] = [
    ["NAICS", naics.map((n) => (n.title ? `${n.code} · ${n.title}` : n.code)).join("; ")],
    ["Keywords", keywords.length ? `Any of: ${keywords.join(", ")}` : "None: every opportunity in your NAICS codes"],
    ["Set-asides", setAsides.length ? setAsides.map((c) => `${c} (${setAsideLabel(c)})`).join("; ") : "Any"],
    ["Places", states.length ? states.map(stateName).join(", ") : "Anywhere"],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[8rem_1fr]">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="font-medium text-slate-900">{term}</dt>
          <dd className="mb-2 break-words text-slate-700 sm:mb-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
