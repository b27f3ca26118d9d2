import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { notificationChannels } from "@/db/schema";
import { isUuid } from "@/db/tenant";
import { recordAudit } from "@/lib/audit";
import type { MemberActor, OrgContext } from "@/lib/context";
import { AppError, validate } from "@/lib/http";
import { assertCan } from "@/lib/orgs";
import { deliverOutboxNow, enqueueOutbox, recordCircuitSuccess } from "@/lib/outbox";
import { assertChannelsIncluded } from "./access";
import { renderPost, testPost } from "./messages";
import type { ChannelKind } from "./rules";
import { createChannelSchema, updateChannelSchema, type CreateChannelInput, type UpdateChannelInput } from "./schemas";
import { sealChannelSecret, sealChannelUrl } from "./seal";
import { checkChannelUrl, urlHint } from "./urls";

type ChannelRow = typeof notificationChannels.$inferSelect;

/**
 * The context channels are managed in: an org and a signed-in member, held to their role. Only
 * members reach channels (the session endpoints and pages); each channel and its audit rows name one.
 */
export type ChannelsContext = OrgContext<MemberActor>;

/** The public shape (README "Team channels"). Never the URL or the secret: `url_hint` only. */
export interface ApiChannel {
  id: string;
  kind: ChannelKind;
  name: string;
  url_hint: string;
  /** A signed webhook's posts carry `Beacon-Signature`; its secret was shown once, at creation. */
  signed: boolean;
  enabled: boolean;
  consecutive_failures: number;
  disabled_at: string | null;
  disabled_reason: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface CreatedChannel {
  channel: ApiChannel;
  /** A signed webhook's secret: in this answer only. */
  signing_secret: string | null;
}

export interface TestSendResult {
  /** The outbox message that carried the test. */
  outbox_id: string;
  /** `delivered`, `pending` (it will be retried) or `dead`. */
  status: string;
  error: string | null;
  channel: ApiChannel;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const notFound = () => new AppError("not_found", "No such channel.");

export function toApiChannel(row: ChannelRow): ApiChannel {
  return {
    id: row.id,
    kind: row.kind as ChannelKind,
    name: row.name,
    url_hint: row.urlHint,
    signed: row.secretSealed !== null,
    enabled: row.enabled,
    consecutive_failures: row.consecutiveFailures,
    disabled_at: iso(row.disabledAt),
    disabled_reason: row.disabledReason,
    last_success_at: iso(row.lastSuccessAt),
    last_failure_at: iso(row.lastFailureAt),
    last_error: row.lastError,
    created_at: row.createdAt.toISOString(),
  };
}

const auditActor = (actor: MemberActor) => ({ type: "user" as const, id: actor.userId });
/** What the audit trail keeps of a channel: never its URL or secret. */
const audited = (row: Pick<ChannelRow, "kind" | "name" | "urlHint" | "enabled">) => ({
  kind: row.kind,
  name: row.name,
  url_hint: row.urlHint,
  enabled: row.enabled,
});

/** Every tenant entry point: the role allows it, the plan includes channels (the context checked the org id). */
function inChannels<T>(
  ctx: ChannelsContext,
  action: "channels:read" | "channels:manage",
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  assertCan(ctx.actor, action);
  return ctx.transaction(async (tx) => {
    await assertChannelsIncluded(tx, ctx.orgId);
    return fn(tx);
  });
}

async function lockChannel(tx: Tx, orgId: string, id: string): Promise<ChannelRow> {
  if (!isUuid(id)) throw notFound();
  const [row] = await tx
    .select()
    .from(notificationChannels)
    .where(and(eq(notificationChannels.orgId, orgId), eq(notificationChannels.id, id)))
    .for("update");
  if (!row) throw notFound();
  return row;
}

export async function listChannels(ctx: ChannelsContext): Promise<ApiChannel[]> {
  const { orgId } = ctx;
  return inChannels(ctx, "channels:read", async (tx) => {
    const rows = await tx
      .select()
      .from(notificationChannels)
      .where(eq(notificationChannels.orgId, orgId))
      .orderBy(asc(notificationChannels.createdAt), asc(notificationChannels.id));
    return rows.map(toApiChannel);
  });
}

/**
 * Adds a channel. The URL is checked for its kind, then stored only sealed; a signed webhook gets
 * a new signing secret, answered here once and stored sealed.
 */
export async function createChannel(ctx: ChannelsContext, request: CreateChannelInput): Promise<CreatedChannel> {
  const { orgId, actor } = ctx;
  const input = validate(createChannelSchema, request);
  const kind = input.kind as ChannelKind;
  const url = checkChannelUrl(kind, input.url);
  const secret = kind === "webhook" ? `whsec_${randomBytes(32).toString("base64url")}` : null;
  const now = ctx.now();
  return inChannels(ctx, "channels:manage", async (tx) => {
    const [row] = await tx
      .insert(notificationChannels)
      .values({
        orgId,
        kind,
        name: input.name,
        urlSealed: sealChannelUrl(url.toString()),
        urlHint: urlHint(url),
        secretSealed: secret === null ? null : sealChannelSecret(secret),
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "channel.created",
      orgId,
      target: { type: "notification_channel", id: row!.id },
      after: audited(row!),
      at: now,
    });
    return { channel: toApiChannel(row!), signing_secret: secret };
  });
}

/** Renames, switches off, or switches back on: re-enabling clears the failure count and the reason. */
export async function updateChannel(
  ctx: ChannelsContext,
  id: string,
  request: UpdateChannelInput,
): Promise<ApiChannel> {
  const { orgId, actor } = ctx;
  const patch = validate(updateChannelSchema, request);
  const now = ctx.now();
  const updated = await inChannels(ctx, "channels:manage", async (tx) => {
    const current = await lockChannel(tx, orgId, id);
    const enabling = patch.enabled === true && !current.enabled;
    const disabling = patch.enabled === false && current.enabled;
    const [row] = await tx
      .update(notificationChannels)
      .set({
        name: patch.name,
        enabled: patch.enabled,
        ...(enabling ? { consecutiveFailures: 0, disabledAt: null, disabledReason: null } : {}),
        ...(disabling ? { disabledAt: now, disabledReason: "Switched off by a member" } : {}),
        updatedAt: now,
      })
      .where(eq(notificationChannels.id, current.id))
      .returning();
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: enabling ? "channel.enabled" : disabling ? "channel.disabled" : "channel.updated",
      orgId,
      target: { type: "notification_channel", id: current.id },
      before: audited(current),
      after: audited(row!),
      at: now,
    });
    return { row: row!, enabling };
  });
  // Its deliveries may have paused the channel's outbox circuit too: switched back on, it posts at once.
  if (updated.enabling) await recordCircuitSuccess(channelDestination(updated.row.id), now);
  return toApiChannel(updated.row);
}

/** Deletes the channel; alerts that posted to it stop (alert_channels rows go with it). */
export async function deleteChannel(ctx: ChannelsContext, id: string): Promise<void> {
  const { orgId, actor } = ctx;
  const now = ctx.now();
  await inChannels(ctx, "channels:manage", async (tx) => {
    const current = await lockChannel(tx, orgId, id);
    await tx.delete(notificationChannels).where(eq(notificationChannels.id, current.id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "channel.deleted",
      orgId,
      target: { type: "notification_channel", id: current.id },
      before: audited(current),
      at: now,
    });
  });
}

/** The outbox destination (circuit) of a channel's posts, as outbox_events.destination computes it. */
export const channelDestination = (channelId: string) => `channel:${channelId}`;

/**
 * "Send test": a test post through the same outbox path as alerts (so it counts toward the
 * channel's failures like any post), delivered at once; answers how it went.
 */
export async function sendTestPost(ctx: ChannelsContext, id: string): Promise<TestSendResult> {
  const { orgId } = ctx;
  const now = ctx.now();
  const queued = await inChannels(ctx, "channels:manage", async (tx) => {
    const channel = await lockChannel(tx, orgId, id);
    if (!channel.enabled)
      throw new AppError("conflict", "The channel is switched off. Switch it on before sending a test.");
    return enqueueOutbox(tx, {
      kind: "channel",
      orgId,
      dedupeKey: `channel-test:${channel.id}:${now.getTime()}`,
      payload: {
        channel_id: channel.id,
        type: "channel.test",
        body: renderPost(channel.kind as ChannelKind, testPost(channel, now), now),
      },
    });
  });
  const summary = await deliverOutboxNow([queued.id]);
  const result = summary.results.find((r) => r.id === queued.id);
  const [row] = await ctx.transaction((tx) =>
    tx.select().from(notificationChannels).where(eq(notificationChannels.id, id)),
  );
  if (!row) throw notFound();
  return {
    outbox_id: queued.id,
    status: result?.status ?? "pending",
    error: result?.error ?? null,
    channel: toApiChannel(row),
  };
}
