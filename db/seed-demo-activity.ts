import { eq } from "drizzle-orm";
import { withTenant } from "./tenant";
import { alerts } from "./schema";
import { createAlert, runAlertDigest } from "@/lib/alerts";
import { createApiKey } from "@/lib/auth";
import { apiKeyActor, memberActor, orgContext, systemActor, systemContext } from "@/lib/context";
import { chargeApiCall } from "@/lib/metering";
import { completeOnboarding, createFirstAlert, markMatchesViewed, saveBusinessProfile } from "@/lib/onboarding";
import { DEMO_AMENDMENTS } from "@/lib/opportunities";
import type { OrgActor } from "@/lib/orgs";
import { trackNotice } from "@/lib/pipeline";

/**
 * The demo organisation as a customer would leave it after a first session, made through the
 * same functions the product uses: a business profile, onboarding completed, alerts of each
 * frequency, the notices the demo feed will amend tracked in the pipeline, an API key that has
 * been used, and the first daily digest sent (to the demo user's own address). Real records of what happened at seed time, never invented history.
 */
export async function seedDemoActivity(orgId: string, owner: OrgActor, email: string, now = new Date()) {
  const ownerCtx = orgContext(orgId, memberActor(owner.userId, owner.role), { now: () => now });
  await saveBusinessProfile(ownerCtx, {
    companyName: "Demo Contracting LLC",
    naicsCodes: ["541511", "541512", "541519"],
    keywords: ["software", "cloud", "network"],
    states: [],
    setAsides: [],
  });
  const { alert: first } = await createFirstAlert(ownerCtx, {
    name: "Software, cloud and network work",
    frequency: "daily",
    deliveryEmail: email,
  });
  await markMatchesViewed(ownerCtx);
  await completeOnboarding(ownerCtx);
  await createAlert(ownerCtx, {
    name: "Any software notice, at once",
    frequency: "instant",
    naics: ["5415"],
    q: "software",
    delivery_email: email,
  });
  await createAlert(ownerCtx, {
    name: "Computer systems design, weekly",
    frequency: "weekly",
    naics: ["5415"],
    delivery_email: email,
  });

  // The demo feed amends these notices as it replays the day (lib/opportunities): tracked, so the
  // demo user gets their "what changed" e-mails within the hour after.
  for (const { noticeId } of DEMO_AMENDMENTS) await trackNotice(ownerCtx, { notice_id: noticeId });

  const key = await createApiKey(ownerCtx, { name: "Demo CRM" });
  // Three calls as the key made them, each its own request.
  for (let i = 0; i < 3; i++)
    await chargeApiCall(
      orgContext(orgId, apiKeyActor(key.id), { requestId: `seed-demo-${i}`, now: () => now }),
      "GET /api/v1/opportunities",
    );

  // The daily alert's first digest covers everything the seed loaded (ingested just now).
  await withTenant(orgId, (tx) =>
    tx
      .update(alerts)
      .set({ lastWindowEnd: new Date(now.getTime() - 24 * 60 * 60_000) })
      .where(eq(alerts.id, first.id)),
  );
  await runAlertDigest(systemContext(systemActor("digest-fanout")), first.id, new Date(Date.now() + 1_000));
}
