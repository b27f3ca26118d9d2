import { randomUUID } from "node:crypto";
import { db } from "@/db/client";
import {
  alertDigests,
  alerts,
  apiKeys,
  billingCustomers,
  businessProfiles,
  creditPacks,
  emailMessages,
  emailTokens,
  invitations,
  memberships,
  onboardingProgress,
  organizations,
  outboxEvents,
  pipelineNotes,
  pipelineSettings,
  notRelevantNotices,
  notificationChannels,
  alertChannels,
  quotaAdjustments,
  sessions,
  subscriptions,
  trackedOpportunities,
  usageEvents,
  usageQuotas,
  users,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit";

// Test fixtures for lib/retention: real rows in the test database, no mocks.

export async function makePerson(label: string) {
  const [row] = await db()
    .insert(users)
    .values({
      email: `${label}-${randomUUID().slice(0, 8)}@retention.test`,
      name: `${label} person`,
      passwordHash: `pwhash-${randomUUID()}`,
      emailVerified: new Date(),
    })
    .returning();
  await db()
    .insert(sessions)
    .values({ sessionToken: `sess-${randomUUID()}`, userId: row!.id, expires: new Date(Date.now() + 86_400_000) });
  return row!;
}

/**
 * An org with a row in every table the export covers, and the secrets the export must never
 * contain (key hash, token hashes, password hash, the raw token inside an e-mail body).
 */
export async function seedFullOrg(label = "Full Co") {
  const suffix = randomUUID().slice(0, 8);
  const owner = await makePerson("owner");
  const member = await makePerson("member");
  const [org] = await db()
    .insert(organizations)
    .values({ name: `${label} ${suffix}`, plan: "pro" })
    .returning();
  const orgId = org!.id;
  await db()
    .insert(memberships)
    .values([
      { orgId, userId: owner.id, role: "owner" },
      { orgId, userId: member.id, role: "member" },
    ]);
  const secrets = {
    keyHash: `keyhash-${randomUUID()}`,
    invitationTokenHash: `invhash-${randomUUID()}`,
    emailTokenHash: `ethash-${randomUUID()}`,
    rawToken: `rawtoken${randomUUID().replaceAll("-", "")}`,
    passwordHash: owner.passwordHash!,
    channelUrlSealed: `v1.sealed-url-${randomUUID()}`,
    channelSecretSealed: `v1.sealed-secret-${randomUUID()}`,
  };
  await db()
    .insert(emailTokens)
    .values({
      userId: owner.id,
      purpose: "password_reset",
      tokenHash: secrets.emailTokenHash,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
  await db()
    .insert(invitations)
    .values({
      orgId,
      email: `invitee-${suffix}@retention.test`,
      role: "viewer",
      tokenHash: secrets.invitationTokenHash,
      invitedBy: owner.id,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
  await db()
    .insert(businessProfiles)
    .values({ orgId, companyName: `${label} LLC`, naicsCodes: ["541511"], keywords: ["cloud"] });
  await db().insert(onboardingProgress).values({ orgId, profileCompletedAt: new Date() });
  const [alert] = await db()
    .insert(alerts)
    .values({
      orgId,
      createdBy: owner.id,
      name: "Cloud work",
      frequency: "daily",
      naics: ["541511"],
      deliveryEmail: owner.email,
    })
    .returning();
  const [mail] = await db()
    .insert(emailMessages)
    .values({
      orgId,
      kind: "alert_digest",
      toAddress: owner.email,
      subject: "3 new matches",
      textBody: `Sign in: https://beacon.test/t/${secrets.rawToken}`,
      transport: "log",
      sentAt: new Date(),
    })
    .returning();
  await db()
    .insert(alertDigests)
    .values({
      orgId,
      alertId: alert!.id,
      windowStart: new Date(Date.now() - 86_400_000),
      windowEnd: new Date(),
      matchCount: 3,
      noticeIds: ["n1", "n2", "n3"],
      emailMessageId: mail!.id,
    });
  const [key] = await db()
    .insert(apiKeys)
    .values({
      orgId,
      name: "CI",
      prefix: `bk_test_${suffix}`,
      keyHash: secrets.keyHash,
      createdBy: owner.id,
      lastUsedAt: new Date(),
    })
    .returning();
  await db()
    .insert(billingCustomers)
    .values({ orgId, stripeCustomerId: `cus_${suffix}` });
  await db()
    .insert(subscriptions)
    .values({
      orgId,
      stripeSubscriptionId: `sub_${suffix}`,
      stripeCustomerId: `cus_${suffix}`,
      status: "canceled",
      plan: "pro",
    });
  await db()
    .insert(creditPacks)
    .values({ orgId, stripeCheckoutSessionId: `cs_${suffix}`, credits: 1_000 });
  const periodStart = new Date(Date.now() - 86_400_000);
  await db()
    .insert(usageQuotas)
    .values({
      orgId,
      periodStart,
      periodEnd: new Date(Date.now() + 29 * 86_400_000),
      quotaMonthly: 5_000,
      quotaRemaining: 5_998,
    });
  await db()
    .insert(quotaAdjustments)
    .values([
      { orgId, periodStart, delta: 5_000, reason: "period_opened" },
      { orgId, periodStart, delta: 1_000, reason: "credit_pack", ref: `cs_${suffix}` },
    ]);
  await db()
    .insert(usageEvents)
    .values([
      {
        orgId,
        apiKeyId: key!.id,
        endpoint: "/v1/opportunities",
        requestId: `req-a-${suffix}`,
        quotaBefore: 6_000,
        quotaAfter: 5_999,
        status: 200,
      },
      {
        orgId,
        apiKeyId: key!.id,
        endpoint: "/v1/opportunities",
        requestId: `req-b-${suffix}`,
        quotaBefore: 5_999,
        quotaAfter: 5_998,
        status: 200,
      },
    ]);
  await db()
    .insert(outboxEvents)
    .values({
      orgId,
      kind: "email",
      dedupeKey: `invite:${suffix}`,
      payload: {
        kind: "invitation",
        to: `invitee-${suffix}@retention.test`,
        subject: "You are invited",
        text: `Accept: https://beacon.test/invite/${secrets.rawToken}`,
      },
    });
  const [tracked] = await db()
    .insert(trackedOpportunities)
    .values({ orgId, noticeId: `notice-${suffix}`, stage: "bidding", assigneeId: member.id, createdBy: owner.id })
    .returning();
  await db()
    .insert(pipelineNotes)
    .values({ orgId, trackedId: tracked!.id, authorId: member.id, body: "Site visit on Tuesday" });
  await db().insert(pipelineSettings).values({ orgId, reminderDays: 5 });
  const [channel] = await db()
    .insert(notificationChannels)
    .values({
      orgId,
      kind: "webhook",
      name: "Capture team hook",
      urlSealed: secrets.channelUrlSealed,
      urlHint: "hooks.retention.test …abcd",
      secretSealed: secrets.channelSecretSealed,
      createdBy: owner.id,
    })
    .returning();
  await db().insert(alertChannels).values({ orgId, alertId: alert!.id, channelId: channel!.id });
  await db()
    .insert(notRelevantNotices)
    .values({ orgId, noticeId: `dismissed-${suffix}`, agency: "GSA.PBS", naicsCode: "561720", markedBy: member.id });
  await recordAudit(db(), {
    actor: { type: "user", id: owner.id, email: owner.email },
    action: "org.member.invited",
    orgId,
    target: { type: "invitation", id: null },
  });
  return { orgId, name: org!.name, owner, member, secrets, apiKeyId: key!.id };
}
