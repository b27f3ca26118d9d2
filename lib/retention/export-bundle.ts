import { and, asc, desc, eq, gte, sql } from "drizzle-orm";
import {
  alertDigests,
  alerts,
  apiKeys,
  auditLog,
  billingCustomers,
  businessProfiles,
  creditPacks,
  dataRequests,
  emailMessages,
  invitations,
  onboardingProgress,
  organizations,
  outboxEvents,
  notRelevantNotices,
  pipelineNotes,
  notificationChannels,
  alertChannels,
  pipelineSettings,
  quotaAdjustments,
  subscriptions,
  trackedOpportunities,
  usageEvents,
  usageQuotas,
} from "@/db/schema";
import type { OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { orgMembers } from "@/lib/orgs";

export const EXPORT_FORMAT_VERSION = 1;
/** Usage events older than this are summarised per month, not listed. */
export const EXPORT_USAGE_MONTHS = 13;
/** Upper bounds on listed rows so one bundle stays a reasonable JSON document. */
export const EXPORT_MAX_USAGE_EVENTS = 50_000;
export const EXPORT_MAX_AUDIT_ENTRIES = 10_000;
export const EXPORT_MAX_EMAILS = 10_000;

/**
 * Every table holding org data (an `org_id` column or a tenant_isolation policy) is either
 * exported (the bundle section it lands in) or excluded with the reason. The schema-coverage
 * test fails when a new tenant table appears in db/schema without an entry here, so the export
 * never silently misses data.
 */
export const EXPORT_COVERAGE: Record<string, { section: string } | { excluded: string }> = {
  organizations: { section: "organization" },
  memberships: { section: "members" },
  invitations: { section: "invitations" },
  business_profiles: { section: "business_profile" },
  onboarding_progress: { section: "onboarding" },
  alerts: { section: "alerts" },
  alert_digests: { section: "alert_digests" },
  api_keys: { section: "api_keys" },
  billing_customers: { section: "billing_customer" },
  subscriptions: { section: "subscriptions" },
  credit_packs: { section: "credit_packs" },
  usage_quotas: { section: "quota" },
  quota_adjustments: { section: "quota_adjustments" },
  usage_events: { section: "usage_events" },
  audit_log: { section: "audit_log" },
  outbox_events: { section: "outbox_emails" },
  email_messages: { section: "emails" },
  data_requests: { section: "data_requests" },
  tracked_opportunities: { section: "pipeline" },
  pipeline_notes: { section: "pipeline_notes" },
  pipeline_settings: { section: "pipeline_settings" },
  not_relevant_notices: { section: "not_relevant" },
  // Name, kind and host only: the sealed URL and signing secret are credentials, never exported.
  notification_channels: { section: "channels" },
  alert_channels: { section: "alert_channels" },
  idempotency_keys: {
    excluded:
      "a 24-hour replay cache of API responses, not a record the customer keeps; the calls themselves are in usage_events",
  },
  stripe_events: {
    excluded:
      "the operator's webhook processing log (type, ids, status); its outcome is exported as subscriptions and credit packs",
  },
  job_runs: { excluded: "the operator's background-job log; the work it did is exported through the tables it wrote" },
  dunning_notices: {
    excluded:
      "which payment-reminder step went out for which failed invoice (dedupe for the billing job); the reminders themselves are exported as e-mails",
  },
  quota_warnings: {
    excluded:
      "which API-quota warning went out in which period (dedupe for the warnings job); the warnings themselves are exported as e-mails",
  },
  ops_alerts: {
    excluded: "the operator's monitoring state about the account, derived from exported data (onboarding, billing)",
  },
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function invitationStatus(row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date) {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "open";
}

/** The outbox payload minus bodies (they carry sign-in and invitation links). */
function emailMetadata(payload: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return { email_kind: text(payload.kind), to: text(payload.to), subject: text(payload.subject) };
}

export type ExportBundle = Awaited<ReturnType<typeof buildExportBundle>>;

/**
 * Everything the org owns as one JSON-ready object, for the customer's data export and the
 * cockpit's "export data (JSON)". Read in one read-only repeatable-read transaction so the
 * sections agree with each other. Never contains key hashes, token hashes, password hashes or
 * e-mail bodies (which hold links that sign someone in).
 */
export async function buildExportBundle(ctx: OrgContext) {
  const { orgId } = ctx;
  const now = ctx.now();
  const usageSince = new Date(now);
  usageSince.setUTCMonth(usageSince.getUTCMonth() - EXPORT_USAGE_MONTHS);

  return ctx.transaction(
    async (tx) => {
      const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
      if (!org) throw new AppError("not_found", "No such organisation.");

      const members = await orgMembers(tx, orgId);
      const invitationRows = await tx
        .select()
        .from(invitations)
        .where(eq(invitations.orgId, orgId))
        .orderBy(asc(invitations.createdAt));
      const [profile] = await tx.select().from(businessProfiles).where(eq(businessProfiles.orgId, orgId));
      const [onboarding] = await tx.select().from(onboardingProgress).where(eq(onboardingProgress.orgId, orgId));
      const alertRows = await tx.select().from(alerts).where(eq(alerts.orgId, orgId)).orderBy(asc(alerts.createdAt));
      const digestRows = await tx
        .select()
        .from(alertDigests)
        .where(eq(alertDigests.orgId, orgId))
        .orderBy(asc(alertDigests.createdAt));
      const keyRows = await tx.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(asc(apiKeys.createdAt));
      const [customer] = await tx.select().from(billingCustomers).where(eq(billingCustomers.orgId, orgId));
      const subscriptionRows = await tx
        .select()
        .from(subscriptions)
        .where(eq(subscriptions.orgId, orgId))
        .orderBy(asc(subscriptions.updatedAt));
      const packRows = await tx
        .select()
        .from(creditPacks)
        .where(eq(creditPacks.orgId, orgId))
        .orderBy(asc(creditPacks.createdAt));
      const [quota] = await tx.select().from(usageQuotas).where(eq(usageQuotas.orgId, orgId));
      const ledger = await tx
        .select()
        .from(quotaAdjustments)
        .where(eq(quotaAdjustments.orgId, orgId))
        .orderBy(asc(quotaAdjustments.createdAt));
      const usageRows = await tx
        .select()
        .from(usageEvents)
        .where(and(eq(usageEvents.orgId, orgId), gte(usageEvents.createdAt, usageSince)))
        .orderBy(desc(usageEvents.createdAt))
        .limit(EXPORT_MAX_USAGE_EVENTS + 1);
      const usageByMonth = await tx
        .select({
          month: sql<string>`to_char(date_trunc('month', ${usageEvents.createdAt} at time zone 'UTC'), 'YYYY-MM')`,
          endpoint: usageEvents.endpoint,
          calls: sql<number>`count(*)::int`,
        })
        .from(usageEvents)
        .where(eq(usageEvents.orgId, orgId))
        .groupBy(sql`1`, usageEvents.endpoint)
        .orderBy(sql`1`, usageEvents.endpoint);
      const auditRows = await tx
        .select()
        .from(auditLog)
        .where(eq(auditLog.orgId, orgId))
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(EXPORT_MAX_AUDIT_ENTRIES + 1);
      const outboxRows = await tx
        .select()
        .from(outboxEvents)
        .where(and(eq(outboxEvents.orgId, orgId), eq(outboxEvents.kind, "email")))
        .orderBy(desc(outboxEvents.createdAt))
        .limit(EXPORT_MAX_EMAILS + 1);
      const emailRows = await tx
        .select({
          id: emailMessages.id,
          kind: emailMessages.kind,
          toAddress: emailMessages.toAddress,
          subject: emailMessages.subject,
          transport: emailMessages.transport,
          sentAt: emailMessages.sentAt,
          error: emailMessages.error,
          createdAt: emailMessages.createdAt,
        })
        .from(emailMessages)
        .where(eq(emailMessages.orgId, orgId))
        .orderBy(desc(emailMessages.createdAt))
        .limit(EXPORT_MAX_EMAILS + 1);
      const requestRows = await tx
        .select({
          id: dataRequests.id,
          kind: dataRequests.kind,
          status: dataRequests.status,
          requestedAt: dataRequests.requestedAt,
          completedAt: dataRequests.completedAt,
        })
        .from(dataRequests)
        .where(eq(dataRequests.orgId, orgId))
        .orderBy(asc(dataRequests.requestedAt));
      const trackedRows = await tx
        .select()
        .from(trackedOpportunities)
        .where(eq(trackedOpportunities.orgId, orgId))
        .orderBy(asc(trackedOpportunities.createdAt), asc(trackedOpportunities.id));
      const noteRows = await tx
        .select()
        .from(pipelineNotes)
        .where(eq(pipelineNotes.orgId, orgId))
        .orderBy(asc(pipelineNotes.createdAt), asc(pipelineNotes.id));
      const [pipelineSettingsRow] = await tx.select().from(pipelineSettings).where(eq(pipelineSettings.orgId, orgId));
      const notRelevantRows = await tx
        .select()
        .from(notRelevantNotices)
        .where(eq(notRelevantNotices.orgId, orgId))
        .orderBy(asc(notRelevantNotices.createdAt), asc(notRelevantNotices.id));
      const channelRows = await tx
        .select({
          id: notificationChannels.id,
          kind: notificationChannels.kind,
          name: notificationChannels.name,
          urlHint: notificationChannels.urlHint,
          enabled: notificationChannels.enabled,
          disabledAt: notificationChannels.disabledAt,
          disabledReason: notificationChannels.disabledReason,
          createdBy: notificationChannels.createdBy,
          createdAt: notificationChannels.createdAt,
        })
        .from(notificationChannels)
        .where(eq(notificationChannels.orgId, orgId))
        .orderBy(asc(notificationChannels.createdAt), asc(notificationChannels.id));
      const alertChannelRows = await tx
        .select({ alertId: alertChannels.alertId, channelId: alertChannels.channelId })
        .from(alertChannels)
        .where(eq(alertChannels.orgId, orgId))
        .orderBy(asc(alertChannels.alertId), asc(alertChannels.channelId));

      return {
        format_version: EXPORT_FORMAT_VERSION,
        generated_at: now.toISOString(),
        org_id: orgId,
        organization: { id: org.id, name: org.name, plan: org.plan, created_at: iso(org.createdAt) },
        members: members.map((m) => ({
          user_id: m.userId,
          name: m.name,
          email: m.email,
          role: m.role,
          joined_at: iso(m.joinedAt),
        })),
        invitations: invitationRows.map((i) => ({
          id: i.id,
          email: i.email,
          role: i.role,
          status: invitationStatus(i, now),
          invited_by: i.invitedBy,
          created_at: iso(i.createdAt),
          expires_at: iso(i.expiresAt),
          accepted_at: iso(i.acceptedAt),
          revoked_at: iso(i.revokedAt),
        })),
        business_profile: profile
          ? {
              company_name: profile.companyName,
              naics_codes: profile.naicsCodes,
              keywords: profile.keywords,
              set_asides: profile.setAsides,
              states: profile.states,
              updated_at: iso(profile.updatedAt),
            }
          : null,
        onboarding: onboarding
          ? {
              profile_completed_at: iso(onboarding.profileCompletedAt),
              alert_completed_at: iso(onboarding.alertCompletedAt),
              matches_viewed_at: iso(onboarding.matchesViewedAt),
              plan_chosen_at: iso(onboarding.planChosenAt),
              onboarding_completed_at: iso(onboarding.onboardingCompletedAt),
              last_activity_at: iso(onboarding.lastActivityAt),
            }
          : null,
        alerts: alertRows.map((a) => ({
          id: a.id,
          name: a.name,
          frequency: a.frequency,
          q: a.q,
          naics: a.naics,
          states: a.states,
          set_asides: a.setAsides,
          delivery_email: a.deliveryEmail,
          active: a.active,
          created_by: a.createdBy,
          created_at: iso(a.createdAt),
          updated_at: iso(a.updatedAt),
        })),
        alert_digests: digestRows.map((d) => ({
          id: d.id,
          alert_id: d.alertId,
          window_start: iso(d.windowStart),
          window_end: iso(d.windowEnd),
          match_count: d.matchCount,
          notice_ids: d.noticeIds,
          emailed: d.emailMessageId !== null,
          created_at: iso(d.createdAt),
        })),
        api_keys: keyRows.map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          created_by: k.createdBy,
          created_at: iso(k.createdAt),
          last_used_at: iso(k.lastUsedAt),
          revoked_at: iso(k.revokedAt),
        })),
        billing_customer: customer
          ? { stripe_customer_id: customer.stripeCustomerId, created_at: iso(customer.createdAt) }
          : null,
        subscriptions: subscriptionRows.map((s) => ({
          id: s.id,
          stripe_subscription_id: s.stripeSubscriptionId,
          status: s.status,
          plan: s.plan,
          current_period_end: iso(s.currentPeriodEnd),
          cancel_at_period_end: s.cancelAtPeriodEnd,
          trial_end: iso(s.trialEnd),
          payment_failed_at: iso(s.paymentFailedAt),
          updated_at: iso(s.updatedAt),
        })),
        credit_packs: packRows.map((p) => ({
          id: p.id,
          stripe_checkout_session_id: p.stripeCheckoutSessionId,
          credits: p.credits,
          credits_revoked: p.creditsRevoked,
          created_at: iso(p.createdAt),
        })),
        quota: quota
          ? {
              period_start: iso(quota.periodStart),
              period_end: iso(quota.periodEnd),
              quota_monthly: quota.quotaMonthly,
              quota_remaining: quota.quotaRemaining,
              credits_remaining: quota.creditsRemaining,
            }
          : null,
        quota_adjustments: ledger.map((q) => ({
          id: q.id,
          period_start: iso(q.periodStart),
          balance: q.balance,
          delta: q.delta,
          reason: q.reason,
          ref: q.ref,
          created_at: iso(q.createdAt),
        })),
        usage_events: {
          since: usageSince.toISOString(),
          truncated: usageRows.length > EXPORT_MAX_USAGE_EVENTS,
          events: usageRows.slice(0, EXPORT_MAX_USAGE_EVENTS).map((u) => ({
            id: u.id,
            api_key_id: u.apiKeyId,
            endpoint: u.endpoint,
            request_id: u.requestId,
            status: u.status,
            duration_ms: u.durationMs,
            quota_before: u.quotaBefore,
            quota_after: u.quotaAfter,
            created_at: iso(u.createdAt),
          })),
        },
        usage_by_month: usageByMonth,
        audit_log: {
          truncated: auditRows.length > EXPORT_MAX_AUDIT_ENTRIES,
          entries: auditRows.slice(0, EXPORT_MAX_AUDIT_ENTRIES).map((e) => ({
            id: e.id,
            at: iso(e.at),
            actor_type: e.actorType,
            actor_id: e.actorId,
            actor_email: e.actorEmail,
            action: e.action,
            target_type: e.targetType,
            target_id: e.targetId,
            before: e.before,
            after: e.after,
            reason: e.reason,
            request_id: e.requestId,
          })),
        },
        outbox_emails: {
          truncated: outboxRows.length > EXPORT_MAX_EMAILS,
          emails: outboxRows.slice(0, EXPORT_MAX_EMAILS).map((o) => ({
            id: o.id,
            ...emailMetadata(o.payload),
            status: o.status,
            attempts: o.attempts,
            created_at: iso(o.createdAt),
            delivered_at: iso(o.deliveredAt),
          })),
        },
        emails: {
          truncated: emailRows.length > EXPORT_MAX_EMAILS,
          emails: emailRows.slice(0, EXPORT_MAX_EMAILS).map((e) => ({
            id: e.id,
            email_kind: e.kind,
            to: e.toAddress,
            subject: e.subject,
            transport: e.transport,
            sent_at: iso(e.sentAt),
            error: e.error,
            created_at: iso(e.createdAt),
          })),
        },
        data_requests: requestRows.map((r) => ({
          id: r.id,
          kind: r.kind,
          status: r.status,
          requested_at: iso(r.requestedAt),
          completed_at: iso(r.completedAt),
        })),
        pipeline: trackedRows.map((t) => ({
          id: t.id,
          notice_id: t.noticeId,
          stage: t.stage,
          assignee_id: t.assigneeId,
          created_by: t.createdBy,
          reminded_deadline: iso(t.remindedDeadline),
          created_at: iso(t.createdAt),
          updated_at: iso(t.updatedAt),
        })),
        pipeline_notes: noteRows.map((n) => ({
          id: n.id,
          tracked_id: n.trackedId,
          author_id: n.authorId,
          body: n.body,
          created_at: iso(n.createdAt),
        })),
        pipeline_settings: pipelineSettingsRow
          ? { reminder_days: pipelineSettingsRow.reminderDays, updated_at: iso(pipelineSettingsRow.updatedAt) }
          : null,
        not_relevant: notRelevantRows.map((n) => ({
          notice_id: n.noticeId,
          marked_by: n.markedBy,
          created_at: iso(n.createdAt),
        })),
        channels: channelRows.map((c) => ({
          id: c.id,
          kind: c.kind,
          name: c.name,
          url_hint: c.urlHint,
          enabled: c.enabled,
          disabled_at: iso(c.disabledAt),
          disabled_reason: c.disabledReason,
          created_by: c.createdBy,
          created_at: iso(c.createdAt),
        })),
        alert_channels: alertChannelRows.map((a) => ({ alert_id: a.alertId, channel_id: a.channelId })),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
