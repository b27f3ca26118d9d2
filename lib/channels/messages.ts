import { appUrl } from "@/lib/env";
import { formatDate } from "@/lib/format";
import type { ChannelKind } from "./rules";

/** What a channel post says, before it is shaped for Slack, Teams or a signed webhook. */
export interface ChannelPost {
  /** The webhook event type: `alert.matches`, `notice.changed` or `channel.test`. */
  type: "alert.matches" | "notice.changed" | "channel.test";
  /** One line: the notification text clients show. */
  title: string;
  items: { title: string; url: string; details: string[] }[];
  link: { text: string; url: string } | null;
  /** The signed webhook's `data`: plain fields for programs. */
  data: Record<string, unknown>;
}

export interface AlertMatch {
  noticeId: string;
  title: string;
  agency: string | null;
  responseDeadline: Date | null;
  url: string;
}

const noticeUrl = (noticeId: string) => `${appUrl()}/opportunities/${encodeURIComponent(noticeId)}`;
// Chat clients show a handful well; the rest are one link away.
const MAX_ITEMS = 10;

export function alertPost(input: {
  alert: { id: string; name: string };
  total: number;
  windowEnd: Date;
  matches: Omit<AlertMatch, "url">[];
}): ChannelPost {
  const matches = input.matches.map((m) => ({ ...m, url: noticeUrl(m.noticeId) }));
  const count = `${input.total} new match${input.total === 1 ? "" : "es"}`;
  return {
    type: "alert.matches",
    title: `${count} for “${input.alert.name}”`,
    items: matches.slice(0, MAX_ITEMS).map((m) => ({
      title: m.title,
      url: m.url,
      details: [m.agency, m.responseDeadline ? `Response due ${formatDate(m.responseDeadline)}` : null].filter(
        (d): d is string => Boolean(d),
      ),
    })),
    link: { text: "Open the alert in Beacon", url: `${appUrl()}/alerts` },
    data: {
      alert: { id: input.alert.id, name: input.alert.name },
      match_count: input.total,
      window_end: input.windowEnd.toISOString(),
      matches: matches.map((m) => ({
        notice_id: m.noticeId,
        title: m.title,
        agency: m.agency,
        response_deadline: m.responseDeadline?.toISOString() ?? null,
        url: m.url,
      })),
    },
  };
}

export function changePost(input: {
  windowEnd: Date;
  notices: { noticeId: string; title: string; changes: string[] }[];
}): ChannelPost {
  const n = input.notices.length;
  return {
    type: "notice.changed",
    title: n === 1 ? `Changed: ${input.notices[0]!.title}` : `${n} notices your alerts sent changed`,
    items: input.notices.slice(0, MAX_ITEMS).map((notice) => ({
      title: notice.title,
      url: noticeUrl(notice.noticeId),
      details: notice.changes,
    })),
    link: null,
    data: {
      window_end: input.windowEnd.toISOString(),
      notices: input.notices.map((notice) => ({
        notice_id: notice.noticeId,
        title: notice.title,
        changes: notice.changes,
        url: noticeUrl(notice.noticeId),
      })),
    },
  };
}

export function testPost(channel: { id: string; name: string }, at: Date): ChannelPost {
  return {
    type: "channel.test",
    title: `Test from Beacon: “${channel.name}” is connected`,
    items: [],
    link: { text: "Channel settings", url: `${appUrl()}/settings/channels` },
    data: { channel: { id: channel.id, name: channel.name }, sent_at: at.toISOString() },
  };
}

/** Slack's mrkdwn needs only these three escaped (api.slack.com "Formatting text"). */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const slackLink = (url: string, text: string) => `<${url}|${slackEscape(text).replace(/\|/g, "¦")}>`;

/** A Slack incoming-webhook message: `text` for notifications, `blocks` for the message itself. */
function slackBody(post: ChannelPost) {
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(post.title)}*` } },
  ];
  for (const item of post.items)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: [slackLink(item.url, item.title), ...item.details.map((d) => slackEscape(d))].join("\n").slice(0, 3_000),
      },
    });
  if (post.link)
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: slackLink(post.link.url, post.link.text) }] });
  return { text: post.title, blocks };
}

/** A Teams incoming-webhook message card (the format Teams connectors and Workflows accept). */
function teamsBody(post: ChannelPost) {
  return {
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    summary: post.title,
    themeColor: "4F46E5",
    title: post.title,
    sections: post.items.map((item) => ({
      activityTitle: `[${item.title.replace(/[[\]]/g, "")}](${item.url})`,
      text: item.details.join("  \n"),
    })),
    potentialAction: post.link
      ? [{ "@type": "OpenUri", name: post.link.text, targets: [{ os: "default", uri: post.link.url }] }]
      : [],
  };
}

/** The body a channel of `kind` receives. A signed webhook gets `{ type, created_at, data }`. */
export function renderPost(kind: ChannelKind, post: ChannelPost, at: Date): Record<string, unknown> {
  if (kind === "slack") return slackBody(post);
  if (kind === "teams") return teamsBody(post);
  return { type: post.type, created_at: at.toISOString(), text: post.title, data: post.data };
}
