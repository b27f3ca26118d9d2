import { createHash } from "node:crypto";
import type { EnqueueOutboxInput } from "@/lib/outbox";
import type { AlertRow } from "./alerts";
import { renderDigestEmail, renderNothingNewEmail, type DigestOpportunity } from "./digest-email";
import { renderSummaryEmail, type SummarySection } from "./summary-email";
import { unsubscribeUrl } from "./unsubscribe";
import { windowStartOf, type WindowMatch } from "./window-matches";

/** One recorded window with something to say: its ranked matches, or (`read`) the "nothing new" count. */
export interface MailItem {
  alert: AlertRow;
  match: WindowMatch;
  opportunities: DigestOpportunity[];
  /** Set for an empty window of an alert that asked for the "nothing new" note. */
  read?: number;
}

/** The e-mails of a batch's recorded windows, each with the alerts whose digests it carries. */
export interface DigestMail {
  message: EnqueueOutboxInput;
  alertIds: string[];
}

/** Digests of the same alert and window share one e-mail, whatever retries the run. */
export function digestDedupeKey(alertId: string, windowEnd: Date) {
  return `alert_digest:${alertId}:${windowEnd.toISOString()}`;
}

/** A summary is known by its window and exactly the alerts it carries. */
function summaryDedupeKey(userId: string, alertIds: string[], windowEnd: Date) {
  const ids = createHash("sha256")
    .update([...alertIds].sort().join(","))
    .digest("hex")
    .slice(0, 32);
  return `alert_summary:${userId}:${windowEnd.toISOString()}:${ids}`;
}

// The links pause alerts without sign-in: sealed in the outbox, hidden in the e-mail's record.
const placeholder = (name: string) => `{{${name}}}`;

/** A summary's token names every alert it carries; tokens stay well under a URL's practical length. */
const SUMMARY_MAX_ALERTS = 20;

function sectionOf(item: MailItem, windowEnd: Date, unsubscribeLink: string): SummarySection {
  const { alert, match } = item;
  if (match.total > 0)
    return {
      kind: "matches",
      digest: {
        unsubscribeLink,
        alert: { name: alert.name, q: alert.q, naics: alert.naics, states: alert.states, setAsides: alert.setAsides },
        opportunities: item.opportunities,
        total: match.total,
        windowStart: windowStartOf(alert),
        windowEnd,
      },
    };
  return {
    kind: "nothing_new",
    note: {
      unsubscribeLink,
      alert: { name: alert.name, frequency: alert.frequency === "weekly" ? "weekly" : "daily" },
      read: item.read ?? 0,
      windowStart: windowStartOf(alert),
      windowEnd,
    },
  };
}

function singleMail(item: MailItem, windowEnd: Date): DigestMail {
  const { alert } = item;
  const link = placeholder("unsubscribe");
  const section = sectionOf(item, windowEnd, link);
  return {
    alertIds: [alert.id],
    message: {
      kind: "email",
      orgId: alert.orgId,
      dedupeKey: digestDedupeKey(alert.id, windowEnd),
      payload: {
        to: alert.deliveryEmail,
        unsubscribe: link,
        secrets: { unsubscribe: unsubscribeUrl(alert.orgId, alert.id) },
        ...(section.kind === "matches"
          ? { kind: "alert_digest", ...renderDigestEmail(section.digest) }
          : { kind: "alert_nothing_new", ...renderNothingNewEmail(section.note) }),
      },
    },
  };
}

function summaryMail(items: MailItem[], userId: string, windowEnd: Date): DigestMail {
  const { orgId, deliveryEmail } = items[0]!.alert;
  const alertIds = items.map((i) => i.alert.id);
  const secrets: Record<string, string> = { unsubscribe: unsubscribeUrl(orgId, alertIds) };
  const sections = items.map((item, i) => {
    secrets[`unsubscribe_${i + 1}`] = unsubscribeUrl(orgId, item.alert.id);
    return sectionOf(item, windowEnd, placeholder(`unsubscribe_${i + 1}`));
  });
  return {
    alertIds,
    message: {
      kind: "email",
      orgId,
      dedupeKey: summaryDedupeKey(userId, alertIds, windowEnd),
      payload: {
        kind: "alert_summary",
        to: deliveryEmail,
        // The header's one click stops everything this e-mail carries; each section stops its own alert.
        unsubscribe: placeholder("unsubscribe"),
        secrets,
        ...renderSummaryEmail({ sections, windowEnd }),
      },
    },
  };
}

/**
 * The e-mails for a batch's recorded windows. Daily alerts of a member who chose the daily
 * summary (`summaryUsers`) that go to the same address in the same org are combined into one
 * e-mail (a section per alert, in name order); everything else gets its own e-mail.
 */
export function digestMails(items: MailItem[], windowEnd: Date, summaryUsers: ReadonlySet<string>): DigestMail[] {
  const groups = new Map<string, MailItem[]>();
  const mails: DigestMail[] = [];
  for (const item of items) {
    const { alert } = item;
    if (alert.frequency !== "daily" || !alert.createdBy || !summaryUsers.has(alert.createdBy)) {
      mails.push(singleMail(item, windowEnd));
      continue;
    }
    const key = `${alert.orgId}|${alert.createdBy}|${alert.deliveryEmail}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  for (const group of groups.values()) {
    const ordered = [...group].sort(
      (a, b) => a.alert.name.localeCompare(b.alert.name) || (a.alert.id < b.alert.id ? -1 : 1),
    );
    for (let i = 0; i < ordered.length; i += SUMMARY_MAX_ALERTS) {
      const chunk = ordered.slice(i, i + SUMMARY_MAX_ALERTS);
      mails.push(
        chunk.length === 1
          ? singleMail(chunk[0]!, windowEnd)
          : summaryMail(chunk, chunk[0]!.alert.createdBy!, windowEnd),
      );
    }
  }
  return mails;
}
