import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { alertChannels, notificationChannels, organizations } from "@/db/schema";
import { AppError } from "@/lib/http";
import type { EnqueueOutboxInput } from "@/lib/outbox";
import { assertChannelsIncluded, channelPlans } from "./access";
import { alertPost, changePost, renderPost, type AlertMatch } from "./messages";
import type { ChannelKind } from "./rules";

export interface ChannelRef {
  id: string;
  kind: ChannelKind;
}

/**
 * The channels each alert posts to now: switched on, in an org whose plan includes channels.
 * `tx` is the transaction that records the digests (system or the org's tenant).
 */
export async function channelsOfAlerts(tx: DbOrTx, alertIds: readonly string[]): Promise<Map<string, ChannelRef[]>> {
  const byAlert = new Map<string, ChannelRef[]>();
  if (alertIds.length === 0) return byAlert;
  const rows = await tx
    .select({ alertId: alertChannels.alertId, id: notificationChannels.id, kind: notificationChannels.kind })
    .from(alertChannels)
    .innerJoin(notificationChannels, eq(notificationChannels.id, alertChannels.channelId))
    .innerJoin(organizations, eq(organizations.id, alertChannels.orgId))
    .where(
      and(
        inArray(alertChannels.alertId, [...alertIds]),
        eq(notificationChannels.enabled, true),
        inArray(organizations.plan, channelPlans()),
      ),
    )
    .orderBy(asc(notificationChannels.createdAt));
  for (const row of rows)
    byAlert.set(row.alertId, [...(byAlert.get(row.alertId) ?? []), { id: row.id, kind: row.kind as ChannelKind }]);
  return byAlert;
}

export interface AlertDigestPost {
  orgId: string;
  digestId: string;
  alert: { id: string; name: string };
  total: number;
  windowEnd: Date;
  matches: Omit<AlertMatch, "url">[];
}

/**
 * The channel posts of recorded digests, to enqueue in the digests' own transaction. One post per
 * digest and channel: the dedupe key names both, so a retried run posts nothing twice.
 */
export async function alertChannelPosts(
  tx: DbOrTx,
  digests: readonly AlertDigestPost[],
  now = new Date(),
): Promise<EnqueueOutboxInput[]> {
  const withMatches = digests.filter((d) => d.total > 0);
  const channels = await channelsOfAlerts(
    tx,
    withMatches.map((d) => d.alert.id),
  );
  return withMatches.flatMap((digest) => {
    const post = alertPost(digest);
    return (channels.get(digest.alert.id) ?? []).map((channel) => ({
      kind: "channel" as const,
      orgId: digest.orgId,
      dedupeKey: `channel:${channel.id}:digest:${digest.digestId}`,
      payload: { channel_id: channel.id, type: post.type, body: renderPost(channel.kind, post, now) },
    }));
  });
}

export interface ChangedNoticeForChannels {
  alertId: string;
  noticeId: string;
  title: string;
  changes: string[];
}

/**
 * "What changed" posts of one org's window: each channel of the alerts that sent the changed
 * notices gets one post for the window listing them (the dedupe key names channel and window).
 */
export async function changeChannelPosts(
  tx: DbOrTx,
  orgId: string,
  windowEnd: Date,
  changed: readonly ChangedNoticeForChannels[],
  now = new Date(),
): Promise<EnqueueOutboxInput[]> {
  const channels = await channelsOfAlerts(tx, [...new Set(changed.map((c) => c.alertId))]);
  const byChannel = new Map<
    string,
    { channel: ChannelRef; notices: Map<string, { title: string; changes: string[] }> }
  >();
  for (const change of changed)
    for (const channel of channels.get(change.alertId) ?? []) {
      const entry = byChannel.get(channel.id) ?? { channel, notices: new Map() };
      const notice = entry.notices.get(change.noticeId) ?? { title: change.title, changes: [] };
      for (const sentence of change.changes) if (!notice.changes.includes(sentence)) notice.changes.push(sentence);
      entry.notices.set(change.noticeId, notice);
      byChannel.set(channel.id, entry);
    }
  return [...byChannel.values()].map(({ channel, notices }) => {
    const post = changePost({
      windowEnd,
      notices: [...notices].map(([noticeId, n]) => ({ noticeId, title: n.title, changes: n.changes })),
    });
    return {
      kind: "channel" as const,
      orgId,
      dedupeKey: `channel:${channel.id}:notice-changes:${windowEnd.toISOString()}`,
      payload: { channel_id: channel.id, type: post.type, body: renderPost(channel.kind, post, now) },
    };
  });
}

/**
 * Sets an alert's channels (replacing them) in the alert's own tenant transaction. Every id must
 * be one of the org's channels (422 naming `channel_ids` otherwise), and choosing any needs a
 * plan with channels (403).
 */
export async function setAlertChannels(
  tx: DbOrTx,
  orgId: string,
  alertId: string,
  channelIds: readonly string[],
): Promise<string[]> {
  if (channelIds.length > 0) {
    await assertChannelsIncluded(tx, orgId);
    const found = await tx
      .select({ id: notificationChannels.id })
      .from(notificationChannels)
      .where(and(eq(notificationChannels.orgId, orgId), inArray(notificationChannels.id, [...channelIds])));
    const known = new Set(found.map((f) => f.id));
    const unknown = channelIds.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new AppError("validation_failed", "Choose channels of this organisation.", {
        errors: [{ path: "channel_ids", message: `No such channel: ${unknown.join(", ")}` }],
      });
  }
  await tx.delete(alertChannels).where(and(eq(alertChannels.orgId, orgId), eq(alertChannels.alertId, alertId)));
  if (channelIds.length > 0)
    await tx.insert(alertChannels).values(channelIds.map((channelId) => ({ orgId, alertId, channelId })));
  return [...channelIds];
}

/** Each alert's channel ids (any state), for the alerts API and pages. */
export async function channelIdsOfAlerts(tx: DbOrTx, orgId: string, alertIds: readonly string[]) {
  const byAlert = new Map<string, string[]>();
  if (alertIds.length === 0) return byAlert;
  const rows = await tx
    .select({ alertId: alertChannels.alertId, channelId: alertChannels.channelId })
    .from(alertChannels)
    .where(and(eq(alertChannels.orgId, orgId), inArray(alertChannels.alertId, [...alertIds])));
  for (const row of rows) byAlert.set(row.alertId, [...(byAlert.get(row.alertId) ?? []), row.channelId]);
  return byAlert;
}
