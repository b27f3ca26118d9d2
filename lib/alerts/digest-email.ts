import { appUrl } from "@/lib/env";
import { escapeHtml } from "@/lib/opportunities";
import { formatDate, formatDateTime } from "@/lib/format";

/** One opportunity as a digest shows it. */
export interface DigestOpportunity {
  noticeId: string;
  title: string;
  agency: string;
  naicsCode: string | null;
  setAsideCode: string | null;
  setAsideDescription: string | null;
  popState: string | null;
  postedAt: Date;
  responseDeadline: Date | null;
  uiLink: string | null;
  /** Why it fits the org, strongest first (lib/opportunities fit.ts). */
  reasons?: string[];
}

export interface DigestEmailInput {
  alert: { name: string; q: string | null; naics: string[]; states: string[]; setAsides: string[] };
  /** Ranked, at most the digest cap. */
  opportunities: DigestOpportunity[];
  /** Every match in the window, including those beyond the cap. */
  total: number;
  windowStart: Date;
  windowEnd: Date;
  /** Public base URL; defaults to APP_URL. */
  baseUrl?: string;
  /** The alert's one-click unsubscribe link as the body shows it (the sender passes a sealed `{{placeholder}}`). */
  unsubscribeLink?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const formatDay = (d: Date) => formatDate(d);
const formatMoment = (d: Date) => formatDateTime(d);

// SAM.gov text is public data and may carry anything, including markup and control characters.
export function clean(text: string) {
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

function samLink(o: DigestOpportunity): string {
  const link = o.uiLink?.trim();
  if (link && /^https?:\/\//i.test(link)) return link;
  return `https://sam.gov/opp/${encodeURIComponent(o.noticeId)}/view`;
}

function beaconLink(base: string, o: DigestOpportunity) {
  return `${base}/opportunities/${encodeURIComponent(o.noticeId)}`;
}

/** The search page with the alert's filters, for "N more". */
function searchLink(base: string, alert: DigestEmailInput["alert"]) {
  const params = new URLSearchParams();
  if (alert.q) params.set("q", alert.q);
  for (const code of alert.naics) params.append("naics", code);
  for (const state of alert.states) params.append("state", state);
  for (const code of alert.setAsides) params.append("set_aside", code);
  const query = params.toString();
  return `${base}/opportunities${query ? `?${query}` : ""}`;
}

function setAside(o: DigestOpportunity) {
  if (!o.setAsideCode) return null;
  return o.setAsideDescription ? `${clean(o.setAsideCode)} (${clean(o.setAsideDescription)})` : clean(o.setAsideCode);
}

export function plural(n: number, one: string, many: string) {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** The ranked list of one alert's window, with "…and N more": the body of a digest, or a section of a summary. */
export function renderDigestListing(input: DigestEmailInput): { text: string; html: string } {
  const base = (input.baseUrl ?? appUrl()).replace(/\/+$/, "");
  const shown = input.opportunities;
  const more = Math.max(input.total - shown.length, 0);
  const all = searchLink(base, input.alert);

  const textItems = shown.map((o, i) => {
    const facts = [
      o.naicsCode ? `NAICS ${clean(o.naicsCode)}` : null,
      setAside(o) ? `Set-aside: ${setAside(o)}` : null,
      o.popState ? `Place: ${clean(o.popState)}` : null,
    ]
      .filter(Boolean)
      .join(" · ");
    return [
      `${i + 1}. ${clean(o.title)}`,
      o.reasons?.length ? `   Why: ${o.reasons.map(clean).join(" · ")}` : null,
      `   ${clean(o.agency) || "Agency not given"}`,
      facts ? `   ${facts}` : null,
      `   Posted ${formatDay(o.postedAt)} · Responses due ${o.responseDeadline ? formatMoment(o.responseDeadline) : "not given"}`,
      `   Beacon: ${beaconLink(base, o)}`,
      `   SAM.gov: ${samLink(o)}`,
    ]
      .filter((line) => line !== null)
      .join("\n");
  });
  const text = [textItems.join("\n\n"), more > 0 ? `\n…and ${plural(more, "more", "more")}: ${all}` : null]
    .filter((line) => line !== null)
    .join("\n");

  const e = escapeHtml;
  const htmlItems = shown
    .map((o) => {
      const facts = [
        o.naicsCode ? `NAICS ${e(clean(o.naicsCode))}` : null,
        setAside(o) ? `Set-aside: ${e(setAside(o)!)}` : null,
        o.popState ? `Place: ${e(clean(o.popState))}` : null,
      ]
        .filter(Boolean)
        .join(" · ");
      return `<li style="margin:0 0 20px">
<a href="${e(beaconLink(base, o))}" style="font-weight:600;color:#3730a3">${e(clean(o.title))}</a>
${o.reasons?.length ? `<div style="color:#166534">${e(o.reasons.map(clean).join(" · "))}</div>` : ""}
<div style="color:#475569">${e(clean(o.agency) || "Agency not given")}</div>
${facts ? `<div style="color:#475569">${facts}</div>` : ""}
<div style="color:#475569">Posted ${e(formatDay(o.postedAt))} · Responses due ${e(o.responseDeadline ? formatMoment(o.responseDeadline) : "not given")}</div>
<div><a href="${e(beaconLink(base, o))}">View on Beacon</a> · <a href="${e(samLink(o))}">View on SAM.gov</a></div>
</li>`;
    })
    .join("\n");
  const html = `<ol style="padding-left:20px;margin:0">
${htmlItems}
</ol>
${more > 0 ? `<p><a href="${e(all)}">…and ${e(plural(more, "more", "more"))} on Beacon</a></p>` : ""}`;
  return { text, html };
}

/** The digest e-mail for one alert window, as plain text and as HTML with every datum escaped. */
export function renderDigestEmail(input: DigestEmailInput): RenderedEmail {
  const base = (input.baseUrl ?? appUrl()).replace(/\/+$/, "");
  const name = clean(input.alert.name);
  const manage = `${base}/alerts`;
  const period = `New on Beacon between ${formatMoment(input.windowStart)} and ${formatMoment(input.windowEnd)}.`;
  const subject = `${plural(input.total, "new opportunity", "new opportunities")} for “${name}”`;
  const listing = renderDigestListing(input);
  const text = [
    `Your Beacon alert “${name}” found ${plural(input.total, "new opportunity", "new opportunities")}.`,
    period,
    "",
    listing.text,
    "",
    `Manage your alerts: ${manage}`,
    input.unsubscribeLink ? `Unsubscribe from this alert: ${input.unsubscribeLink}` : null,
  ]
    .filter((line) => line !== null)
    .join("\n");

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.5;color:#0f172a;max-width:640px;margin:0 auto;padding:16px">
<h1 style="font-size:20px;margin:0 0 4px">${e(subject)}</h1>
<p style="color:#475569;margin:0 0 16px">${e(period)}</p>
${listing.html}
<p style="color:#475569;font-size:13px;margin-top:24px">You receive this because of the alert “${e(name)}”. <a href="${e(manage)}">Manage your alerts</a>.${input.unsubscribeLink ? ` <a href="${e(input.unsubscribeLink)}">Unsubscribe from this alert</a>.` : ""}</p>
</body></html>`;

  return { subject, text, html };
}

export interface NothingNewEmailInput {
  alert: { name: string; frequency: "daily" | "weekly" };
  /** Notices Beacon ingested in the window, matched or not. */
  read: number;
  windowStart: Date;
  windowEnd: Date;
  baseUrl?: string;
  unsubscribeLink?: string;
}

/** The short "Beacon checked, nothing matched" note an alert can opt in to for its empty windows. */
export function renderNothingNewEmail(input: NothingNewEmailInput): RenderedEmail {
  const base = (input.baseUrl ?? appUrl()).replace(/\/+$/, "");
  const name = clean(input.alert.name);
  const when = input.alert.frequency === "weekly" ? "this week" : "today";
  const manage = `${base}/alerts`;
  const subject = `Nothing new for “${name}” ${when}`;
  const line = `We read ${plural(input.read, "new notice", "new notices")} ${when}; none matched “${name}”.`;
  const period = `New on Beacon between ${formatMoment(input.windowStart)} and ${formatMoment(input.windowEnd)}.`;
  const text = [
    line,
    period,
    "",
    `Manage your alerts: ${manage}`,
    input.unsubscribeLink ? `Unsubscribe from this alert: ${input.unsubscribeLink}` : null,
  ]
    .filter((l) => l !== null)
    .join("\n");
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.5;color:#0f172a;max-width:640px;margin:0 auto;padding:16px">
<p style="margin:0 0 4px">${e(line)}</p>
<p style="color:#475569;margin:0 0 16px">${e(period)}</p>
<p style="color:#475569;font-size:13px;margin-top:24px">You receive this because the alert “${e(name)}” asks for a note when nothing is new. <a href="${e(manage)}">Manage your alerts</a>.${input.unsubscribeLink ? ` <a href="${e(input.unsubscribeLink)}">Unsubscribe from this alert</a>.` : ""}</p>
</body></html>`;
  return { subject, text, html };
}
