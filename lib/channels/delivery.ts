import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { memberships, notificationChannels, organizations, users } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit";
import { appUrl } from "@/lib/env";
import {
  deliverOutboxNow,
  enqueueOutboxMany,
  PermanentDeliveryError,
  signWebhookBody,
  WEBHOOK_SIGNATURE_HEADER,
  type ChannelOutcome,
  type ChannelRow,
  type ChannelTarget,
  type ChannelTransport,
} from "@/lib/outbox";
import { CHANNEL_FAILURE_LIMIT, CHANNEL_KIND_LABELS, type ChannelKind } from "./rules";
import { openChannelSecret, openChannelUrl } from "./seal";
import { assertPublicTarget, publicOnlyLookup } from "./urls";

/**
 * Opens a channel row's URL (and a signed webhook's secret) at send time. A channel deleted or
 * switched off since the post was queued cannot be posted to: the row is dead, not retried.
 */
async function resolve(row: ChannelRow, now: Date): Promise<ChannelTarget> {
  if (!row.orgId) throw new PermanentDeliveryError("a channel post must belong to an org");
  const [channel] = await withTenant(row.orgId, (tx) =>
    tx
      .select()
      .from(notificationChannels)
      .where(and(eq(notificationChannels.orgId, row.orgId!), eq(notificationChannels.id, row.payload.channel_id))),
  );
  if (!channel) throw new PermanentDeliveryError("the channel was deleted");
  if (!channel.enabled) throw new PermanentDeliveryError("the channel is switched off");
  let url: string;
  let secret: string | null;
  try {
    url = openChannelUrl(channel.urlSealed);
    secret = channel.secretSealed === null ? null : openChannelSecret(channel.secretSealed);
  } catch {
    throw new PermanentDeliveryError(
      "the channel's sealed URL cannot be opened (AUTH_SECRET changed since it was added?)",
    );
  }
  await assertPublicTarget(new URL(url));
  const body = JSON.stringify(row.payload.body);
  const headers: Record<string, string> = {};
  if (secret) headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] = signWebhookBody(secret, body, now);
  return { url, body, headers, secrets: secret ? [url, secret] : [url], lookup: publicOnlyLookup };
}

/** Owners and admins: the people who can fix or re-enable a channel. */
function channelAdmins(tx: Tx, orgId: string) {
  return tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ["owner", "admin"])));
}

/**
 * Counts one attempt on its channel: a 2xx clears the count; a failure adds one, and the one
 * that reaches CHANNEL_FAILURE_LIMIT switches the channel off — in that transaction, one e-mail to
 * the org's owners and admins and one audit entry. The failure update holds the channel's row
 * lock, so of two failures at once only one can be the one that switches it off.
 */
async function recordOutcome(outcome: ChannelOutcome): Promise<void> {
  const { row, at } = outcome;
  if (!row.orgId || outcome.permanent) return;
  const orgId = row.orgId;
  const id = row.payload.channel_id;
  const c = notificationChannels;
  if (outcome.delivered) {
    await withTenant(orgId, (tx) =>
      tx
        .update(c)
        .set({ consecutiveFailures: 0, lastSuccessAt: at, lastError: null })
        .where(and(eq(c.orgId, orgId), eq(c.id, id))),
    );
    return;
  }
  const queued = await withTenant(orgId, async (tx) => {
    const [counted] = await tx
      .update(c)
      .set({ consecutiveFailures: sql`${c.consecutiveFailures} + 1`, lastFailureAt: at, lastError: outcome.error })
      .where(and(eq(c.orgId, orgId), eq(c.id, id)))
      .returning();
    if (!counted || !counted.enabled || counted.consecutiveFailures < CHANNEL_FAILURE_LIMIT) return [];
    const reason = `Switched off after ${counted.consecutiveFailures} failed deliveries in a row${outcome.error ? ` (last: ${outcome.error})` : ""}`;
    const [disabled] = await tx
      .update(c)
      .set({ enabled: false, disabledAt: at, disabledReason: reason.slice(0, 600), updatedAt: at })
      .where(and(eq(c.id, id), eq(c.enabled, true)))
      .returning();
    if (!disabled) return [];
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "channel.auto_disabled",
      orgId,
      target: { type: "notification_channel", id },
      before: { enabled: true },
      after: { enabled: false, consecutive_failures: disabled.consecutiveFailures, last_error: outcome.error },
      at,
    });
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
    const label = CHANNEL_KIND_LABELS[disabled.kind as ChannelKind];
    const lines = [
      `Beacon switched off the ${label} channel “${disabled.name}” (${disabled.urlHint}) of ${org?.name ?? "your organisation"}:`,
      `its last ${disabled.consecutiveFailures} deliveries failed in a row.`,
      outcome.error ? `Last error: ${outcome.error}` : "",
      ``,
      `Alerts keep arriving by e-mail. Check the webhook, then switch the channel back on and send a test:`,
      `${appUrl()}/settings/channels`,
    ].filter((line, i, all) => line !== "" || all[i - 1] !== "");
    const admins = await channelAdmins(tx, orgId);
    return enqueueOutboxMany(
      tx,
      admins.map((admin) => ({
        kind: "email" as const,
        orgId,
        // Once per switch-off: a later one (after re-enabling) is a new e-mail.
        dedupeKey: `channel-disabled:${id}:${at.getTime()}:${admin.email.toLowerCase()}`,
        payload: {
          kind: "channel_disabled",
          to: admin.email,
          subject: `Channel “${disabled.name}” was switched off after repeated failures`.slice(0, 500),
          text: lines.join("\n"),
        },
      })),
    );
  });
  if (queued.length > 0) await deliverOutboxNow(queued.map((q) => q.id));
}

export const channelDelivery: ChannelTransport = { resolve, recordOutcome };
