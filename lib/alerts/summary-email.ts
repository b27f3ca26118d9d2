import { appUrl } from "@/lib/env";
import { escapeHtml } from "@/lib/opportunities";
import { formatDateTime } from "@/lib/format";
import {
  clean,
  plural,
  renderDigestListing,
  type DigestEmailInput,
  type NothingNewEmailInput,
  type RenderedEmail,
} from "./digest-email";

/** One alert's part of a daily summary: its ranked matches, or the "nothing new" line it asked for. */
export type SummarySection =
  { kind: "matches"; digest: DigestEmailInput } | { kind: "nothing_new"; note: NothingNewEmailInput };

export interface SummaryEmailInput {
  /** In the order they are shown. */
  sections: SummarySection[];
  windowEnd: Date;
  baseUrl?: string;
}

function nameOf(section: SummarySection) {
  return clean(section.kind === "matches" ? section.digest.alert.name : section.note.alert.name);
}

function unsubscribeOf(section: SummarySection) {
  return section.kind === "matches" ? section.digest.unsubscribeLink : section.note.unsubscribeLink;
}

/**
 * One e-mail for a member's daily alerts to the same address (the per-user "daily summary"
 * setting): a section per alert, each ranked and capped by its own digest limit, each with its
 * own unsubscribe link.
 */
export function renderSummaryEmail(input: SummaryEmailInput): RenderedEmail {
  const base = (input.baseUrl ?? appUrl()).replace(/\/+$/, "");
  const manage = `${base}/alerts`;
  const matches = input.sections.reduce((n, s) => n + (s.kind === "matches" ? s.digest.total : 0), 0);
  const count = plural(input.sections.length, "alert", "alerts");
  const subject =
    matches > 0
      ? `${plural(matches, "new opportunity", "new opportunities")} across your ${count}`
      : `Nothing new for your ${count} today`;
  const intro = `Your Beacon daily summary for ${formatDateTime(input.windowEnd)}: ${count}.`;

  const headline = (s: SummarySection) =>
    s.kind === "matches"
      ? `“${nameOf(s)}”: ${plural(s.digest.total, "new opportunity", "new opportunities")}`
      : `“${nameOf(s)}”: nothing new`;
  const textSections = input.sections.map((s) => {
    const unsubscribe = unsubscribeOf(s);
    return [
      `== ${headline(s)} ==`,
      s.kind === "matches"
        ? renderDigestListing({ ...s.digest, baseUrl: base }).text
        : `We read ${plural(s.note.read, "new notice", "new notices")} today; none matched.`,
      unsubscribe ? `Unsubscribe from this alert: ${unsubscribe}` : null,
    ]
      .filter((line) => line !== null)
      .join("\n");
  });
  const text = [intro, "", textSections.join("\n\n"), "", `Manage your alerts: ${manage}`].join("\n");

  const e = escapeHtml;
  const htmlSections = input.sections
    .map((s) => {
      const unsubscribe = unsubscribeOf(s);
      return `<section style="margin:0 0 28px">
<h2 style="font-size:17px;margin:0 0 8px">${e(headline(s))}</h2>
${
  s.kind === "matches"
    ? renderDigestListing({ ...s.digest, baseUrl: base }).html
    : `<p style="margin:0">${e(`We read ${plural(s.note.read, "new notice", "new notices")} today; none matched.`)}</p>`
}
${unsubscribe ? `<p style="font-size:13px;margin:4px 0 0"><a href="${e(unsubscribe)}">Unsubscribe from this alert</a></p>` : ""}
</section>`;
    })
    .join("\n");
  const html = `<!doctype html>
<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.5;color:#0f172a;max-width:640px;margin:0 auto;padding:16px">
<h1 style="font-size:20px;margin:0 0 4px">${e(subject)}</h1>
<p style="color:#475569;margin:0 0 16px">${e(intro)}</p>
${htmlSections}
<p style="color:#475569;font-size:13px;margin-top:24px">You receive one summary because your Beacon settings combine your daily alerts. <a href="${e(manage)}">Manage your alerts</a>.</p>
</body></html>`;
  return { subject, text, html };
}
