import { setAsideLabel, stateName } from "@/lib/onboarding/options";

export interface FiltersSummaryProps {
  naics: { code: string; title: string }[];
  keywords: string[];
  setAsides: string[];
  states: string[];
}

/**
 * What the matches and the first alert look for, in words: the NAICS codes decide, the rest
 * ranks (lib/onboarding/profile-filters.ts `profileMatchCriteria`).
 */
export function FiltersSummary({ naics, keywords, setAsides, states }: FiltersSummaryProps) {
  const rows: [string, string][] = [
    ["NAICS", naics.map((n) => (n.title ? `${n.code} · ${n.title}` : n.code)).join("; ")],
    ["Keywords", keywords.length ? `First when they name any of: ${keywords.join(", ")}` : "None"],
    [
      "Set-asides",
      setAsides.length
        ? `First when set aside for: ${setAsides.map((c) => `${c} (${setAsideLabel(c)})`).join("; ")}`
        : "Any",
    ],
    ["Places", states.length ? `First when the work is in: ${states.map(stateName).join(", ")}` : "Anywhere"],
  ];
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">
        Every new notice in your NAICS codes; those that fit the rest of your profile come first.
      </p>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[8rem_1fr]">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="font-medium text-slate-900">{term}</dt>
            <dd className="mb-2 break-words text-slate-700 sm:mb-0">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
