import Link from "next/link";
import type { OpportunityDetail } from "@/lib/opportunities";
import { onboardingPath, setAsideLabel, stateName, type ProfileFilterFields } from "@/lib/onboarding";
import { FitLine } from "./fit-summary";

type Verdict = "meets" | "misses" | "neutral";
interface Row {
  label: string;
  verdict: Verdict;
  text: string;
}

const MARK: Record<Verdict, { sign: string; sr: string; className: string }> = {
  meets: { sign: "✓", sr: "Meets your profile:", className: "text-emerald-700" },
  misses: { sign: "✗", sr: "Outside your profile:", className: "text-slate-500" },
  neutral: { sign: "•", sr: "", className: "text-slate-400" },
};

const listed = (values: readonly string[]) => values.join(", ");

/** One line per part of the profile (industries, set-asides, places, keywords), from the notice's `matched`. */
function rowsFor(notice: OpportunityDetail, profile: ProfileFilterFields, naicsTitle: string | null): Row[] {
  const { matched } = notice;
  const naics = notice.naics_code ? `NAICS ${notice.naics_code}${naicsTitle ? ` (${naicsTitle})` : ""}` : null;
  const setAside = notice.set_aside ? (notice.set_aside_description ?? setAsideLabel(notice.set_aside)) : null;
  const rows: Row[] = [
    matched.naics
      ? { label: "Industry", verdict: "meets", text: `${naics} is in your industries (${matched.naics}).` }
      : {
          label: "Industry",
          verdict: "misses",
          text: naics
            ? `${naics} is outside your codes (${listed(profile.naicsCodes)}).`
            : `The notice names no NAICS code; yours are ${listed(profile.naicsCodes)}.`,
        },
  ];
  if (profile.setAsides.length === 0)
    rows.push({
      label: "Set-aside",
      verdict: "neutral",
      text: setAside ? `${setAside}. Your profile names no set-aside.` : "Not set aside: open to any business.",
    });
  else if (matched.set_aside)
    rows.push({ label: "Set-aside", verdict: "meets", text: `${setAside}, which you qualify for.` });
  else
    rows.push({
      label: "Set-aside",
      verdict: setAside ? "misses" : "neutral",
      text: setAside ? `${setAside}: not one you listed.` : "Not set aside: open to any business.",
    });
  const place = notice.place.state ? stateName(notice.place.state) : null;
  if (profile.states.length === 0)
    rows.push({
      label: "Place",
      verdict: "neutral",
      text: place ? `Performed in ${place}. Your profile names no states.` : "No US place of performance given.",
    });
  else if (matched.state)
    rows.push({ label: "Place", verdict: "meets", text: `Performed in ${place}, one of your states.` });
  else
    rows.push({
      label: "Place",
      verdict: place ? "misses" : "neutral",
      text: place
        ? `Performed in ${place}, outside your states (${listed(profile.states)}).`
        : "No US place of performance given.",
    });
  if (profile.keywords.length > 0)
    rows.push(
      matched.keywords.length > 0
        ? { label: "Keywords", verdict: "meets", text: `Mentions ${listed(matched.keywords.map((k) => `“${k}”`))}.` }
        : {
            label: "Keywords",
            verdict: "misses",
            text: `None of your keywords (${listed(profile.keywords)}) in the title or the start of the description.`,
          },
    );
  return rows;
}

/** Why this notice fits the org's business profile, or an invitation to describe the business. */
export function NoticeMatch({
  notice,
  profile,
  naicsTitle,
}: {
  notice: OpportunityDetail;
  profile: ProfileFilterFields | null;
  naicsTitle: string | null;
}) {
  if (!profile || profile.naicsCodes.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        <Link href="/onboarding" className="font-medium text-indigo-700 underline">
          Describe your business
        </Link>{" "}
        to see how each notice fits it.
      </p>
    );
  }
  return (
    <section aria-labelledby="match-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="match-heading" className="text-lg font-semibold text-slate-900">
        {notice.matched.naics ? "Why it matches your profile" : "How it compares with your profile"}
      </h2>
      {notice.fit ? (
        <div className="mt-2">
          <FitLine fit={notice.fit} />
        </div>
      ) : null}
      <ul className="mt-2 space-y-1.5 text-sm" data-testid="notice-match">
        {rowsFor(notice, profile, naicsTitle).map((row) => (
          <li key={row.label} className="flex gap-2">
            <span aria-hidden="true" className={`w-4 shrink-0 font-semibold ${MARK[row.verdict].className}`}>
              {MARK[row.verdict].sign}
            </span>
            <span className="text-slate-800">
              {MARK[row.verdict].sr ? <span className="sr-only">{MARK[row.verdict].sr} </span> : null}
              <span className="font-medium">{row.label}:</span> {row.text}
            </span>
          </li>
        ))}
      </ul>
      <p className="mt-3 text-xs text-slate-600">
        <Link href={onboardingPath("profile")} className="text-indigo-700 underline">
          Edit your business profile
        </Link>
      </p>
    </section>
  );
}
