import { and, eq, inArray, isNull, notExists, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import {
  accounts,
  alertDigests,
  alerts,
  pipelineNotes,
  notificationChannels,
  alertChannels,
  notRelevantNotices,
  pipelineSettings,
  trackedOpportunities,
  apiKeys,
  businessProfiles,
  emailMessages,
  emailTokens,
  idempotencyKeys,
  invitations,
  memberships,
  organizations,
  outboxEvents,
  sessions,
  subscriptions,
  users,
  verificationTokens,
} from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError } from "@/lib/http";
import { lockOrganization } from "@/lib/orgs";

/** Stripe still bills (or may bill again) a subscription in one of these: cancel it first. */
export const LIVE_SUBSCRIPTION_STATUSES = ["trialing", "active", "past_due", "unpaid", "paused"] as const;

/**
 * Refuses (409) while Stripe may still bill the org: checked when a deletion is requested, so the
 * owner is told at once, and again when it runs, since a subscription can start in between.
 */
export async function assertNoLiveSubscription(tx: Tx, orgId: string) {
  const live = await tx
    .select({ id: subscriptions.stripeSubscriptionId, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.orgId, orgId), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES])));
  if (live.length > 0) {
    throw new AppError(
      "conflict",
      `The organisation still has a live subscription (${live.map((s) => `${s.id}: ${s.status}`).join(", ")}); cancel billing first.`,
    );
  }
}

export type DeletionCounts = Record<string, number>;

const deletedEmail = (userId: string) => `deleted-${userId}@deleted.invalid`;
export const deletedOrgName = (orgId: string) => `Deleted organisation ${orgId.slice(0, 8)}`;

/**
 * Anonymises an org's personal data and keeps its billing totals, inside the caller's
 * transaction (with the audit entry, so both commit or neither). Deleted: API keys (and their
 * idempotency cache), invitations, alerts and digests, the pipeline (tracked notices, notes,
 * settings), the business profile, the org's e-mails
 * (outbox rows and the sent-mail log hold addresses and sign-in links) and the memberships.
 * Users who belong to no other org (and are not operators) lose their sessions, sign-in links
 * and OAuth accounts and are anonymised. Kept: subscriptions, credit packs, the quota and its
 * ledger, usage events (endpoint, status and counts: no personal data) and the audit log (append-only).
 */
export async function anonymiseOrg(
  tx: Tx,
  orgId: string,
  actor: AuditActor,
  reason: string | null = null,
): Promise<DeletionCounts> {
  // The row lock serialises this with anything else writing the org (billing, renames).
  await lockOrganization(tx, orgId);

  await assertNoLiveSubscription(tx, orgId);

  const other = alias(memberships, "other_membership");
  const soleUsers = await tx
    .select({ id: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, orgId),
        isNull(users.operatorRole),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(other)
            .where(and(eq(other.userId, memberships.userId), sql`${other.orgId} <> ${orgId}`)),
        ),
      ),
    );
  const soleIds = soleUsers.map((u) => u.id);

  const count = (rows: unknown[]) => rows.length;
  const counts: DeletionCounts = {};
  counts.idempotency_keys = count(
    await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.orgId, orgId)).returning({ id: idempotencyKeys.id }),
  );
  counts.api_keys = count(await tx.delete(apiKeys).where(eq(apiKeys.orgId, orgId)).returning({ id: apiKeys.id }));
  counts.invitations = count(
    await tx.delete(invitations).where(eq(invitations.orgId, orgId)).returning({ id: invitations.id }),
  );
  counts.alert_digests = count(
    await tx.delete(alertDigests).where(eq(alertDigests.orgId, orgId)).returning({ id: alertDigests.id }),
  );
  counts.alert_channels = count(
    await tx.delete(alertChannels).where(eq(alertChannels.orgId, orgId)).returning({ id: alertChannels.alertId }),
  );
  // A channel's URL is a credential of the org's Slack or Teams: it goes with the org.
  counts.notification_channels = count(
    await tx
      .delete(notificationChannels)
      .where(eq(notificationChannels.orgId, orgId))
      .returning({ id: notificationChannels.id }),
  );
  counts.alerts = count(await tx.delete(alerts).where(eq(alerts.orgId, orgId)).returning({ id: alerts.id }));
  // Notes are people's words: they go with the pipeline.
  counts.pipeline_notes = count(
    await tx.delete(pipelineNotes).where(eq(pipelineNotes.orgId, orgId)).returning({ id: pipelineNotes.id }),
  );
  counts.tracked_opportunities = count(
    await tx
      .delete(trackedOpportunities)
      .where(eq(trackedOpportunities.orgId, orgId))
      .returning({ id: trackedOpportunities.id }),
  );
  counts.pipeline_settings = count(
    await tx
      .delete(pipelineSettings)
      .where(eq(pipelineSettings.orgId, orgId))
      .returning({ orgId: pipelineSettings.orgId }),
  );
  counts.not_relevant_notices = count(
    await tx
      .delete(notRelevantNotices)
      .where(eq(notRelevantNotices.orgId, orgId))
      .returning({ id: notRelevantNotices.id }),
  );
  counts.business_profiles = count(
    await tx
      .delete(businessProfiles)
      .where(eq(businessProfiles.orgId, orgId))
      .returning({ orgId: businessProfiles.orgId }),
  );
  counts.outbox_emails = count(
    await tx
      .delete(outboxEvents)
      .where(and(eq(outboxEvents.orgId, orgId), eq(outboxEvents.kind, "email")))
      .returning({ id: outboxEvents.id }),
  );
  // Posts to the org's channels (alert matches, notice titles) go with the channels.
  counts.outbox_channel_posts = count(
    await tx
      .delete(outboxEvents)
      .where(and(eq(outboxEvents.orgId, orgId), eq(outboxEvents.kind, "channel")))
      .returning({ id: outboxEvents.id }),
  );
  counts.email_messages = count(
    await tx.delete(emailMessages).where(eq(emailMessages.orgId, orgId)).returning({ id: emailMessages.id }),
  );
  counts.memberships = count(
    await tx.delete(memberships).where(eq(memberships.orgId, orgId)).returning({ id: memberships.id }),
  );

  counts.sessions = 0;
  counts.users_anonymised = 0;
  if (soleIds.length > 0) {
    counts.sessions = count(
      await tx.delete(sessions).where(inArray(sessions.userId, soleIds)).returning({ t: sessions.sessionToken }),
    );
    await tx.delete(accounts).where(inArray(accounts.userId, soleIds));
    await tx.delete(emailTokens).where(inArray(emailTokens.userId, soleIds));
    await tx.delete(verificationTokens).where(
      inArray(
        sql`lower(${verificationTokens.identifier})`,
        soleUsers.map((u) => u.email.toLowerCase()),
      ),
    );
    for (const user of soleUsers) {
      await tx
        .update(users)
        .set({ name: null, email: deletedEmail(user.id), passwordHash: null, emailVerified: null, image: null })
        .where(eq(users.id, user.id));
    }
    counts.users_anonymised = soleUsers.length;
  }

  await tx
    .update(organizations)
    .set({ name: deletedOrgName(orgId) })
    .where(eq(organizations.id, orgId));

  await recordAudit(tx, {
    actor,
    action: "data.deletion.completed",
    orgId,
    target: { type: "organization", id: orgId },
    after: { counts },
    reason,
  });
  return counts;
}
