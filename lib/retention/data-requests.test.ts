import { and, eq, inArray, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
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
  emailTokens,
  invitations,
  jobRuns,
  memberships,
  organizations,
  outboxEvents,
  quotaAdjustments,
  sessions,
  subscriptions,
  usageEvents,
  usageQuotas,
  users,
} from "@/db/schema";
import { dataRequestsFunction } from "@/inngest/functions/data-requests";
import { runFunctionLocally } from "@/lib/jobs";
import { systemActor, type OperatorActor } from "@/lib/context";
import { describeEachDatabase } from "@/tests/db";
import { contextOf, systemContextOf } from "@/tests/support/factories";
import {
  DATA_REQUEST_LEASE_MS,
  pendingDataRequest,
  processDataRequest,
  processPendingDataRequests,
  requestDataDeletion,
  requestDataExport,
  retryDataRequest,
} from "./data-requests";
import { deletedOrgName } from "./deletion";
import { makePerson, seedFullOrg } from "@/tests/support/retention-fixtures";

async function rowCounts(orgId: string) {
  const n = async (rows: Promise<unknown[]>) => (await rows).length;
  return {
    apiKeys: await n(db().select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.orgId, orgId))),
    invitations: await n(db().select({ id: invitations.id }).from(invitations).where(eq(invitations.orgId, orgId))),
    alerts: await n(db().select({ id: alerts.id }).from(alerts).where(eq(alerts.orgId, orgId))),
    alertDigests: await n(db().select({ id: alertDigests.id }).from(alertDigests).where(eq(alertDigests.orgId, orgId))),
    businessProfiles: await n(
      db().select({ id: businessProfiles.orgId }).from(businessProfiles).where(eq(businessProfiles.orgId, orgId)),
    ),
    memberships: await n(db().select({ id: memberships.id }).from(memberships).where(eq(memberships.orgId, orgId))),
    // E-mails only: the deletion's own event row (no personal data) belongs to the org too.
    outboxEmails: await n(
      db()
        .select({ id: outboxEvents.id })
        .from(outboxEvents)
        .where(and(eq(outboxEvents.orgId, orgId), eq(outboxEvents.kind, "email"))),
    ),
    emailMessages: await n(
      db().select({ id: emailMessages.id }).from(emailMessages).where(eq(emailMessages.orgId, orgId)),
    ),
    subscriptions: await n(
      db().select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.orgId, orgId)),
    ),
    creditPacks: await n(db().select({ id: creditPacks.id }).from(creditPacks).where(eq(creditPacks.orgId, orgId))),
    billingCustomers: await n(
      db().select({ id: billingCustomers.orgId }).from(billingCustomers).where(eq(billingCustomers.orgId, orgId)),
    ),
    quotas: await n(db().select({ id: usageQuotas.orgId }).from(usageQuotas).where(eq(usageQuotas.orgId, orgId))),
    quotaAdjustments: await n(
      db().select({ id: quotaAdjustments.id }).from(quotaAdjustments).where(eq(quotaAdjustments.orgId, orgId)),
    ),
    usageEvents: await n(db().select({ id: usageEvents.id }).from(usageEvents).where(eq(usageEvents.orgId, orgId))),
    auditEntries: await n(db().select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgId))),
  };
}

const userRow = async (id: string) => (await db().select().from(users).where(eq(users.id, id)))[0]!;
const sessionCount = async (userId: string) =>
  (await db().select().from(sessions).where(eq(sessions.userId, userId))).length;
const deletionAudits = async (orgId: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "data.deletion.completed")));
const requestRow = async (id: string) => (await db().select().from(dataRequests).where(eq(dataRequests.id, id)))[0]!;

describeEachDatabase("data requests", () => {
  it("a second open request of the same kind returns the first; kinds and orgs are separate", async () => {
    const a = await seedFullOrg("Requests A");
    const b = await seedFullOrg("Requests B");
    const first = await requestDataDeletion(contextOf(a.orgId, { userId: a.owner.id, role: "owner" }), {
      confirmName: a.name,
    });
    expect(first).toMatchObject({
      created: true,
      request: { status: "pending", kind: "deletion", requestedBy: `user:${a.owner.id}` },
    });
    const again = await requestDataDeletion(contextOf(a.orgId, { kind: "operator", userId: "op-1", email: null }), {
      confirmName: a.name,
    });
    expect(again).toMatchObject({ created: false, request: { id: first.request.id } });
    const concurrent = await Promise.all([
      requestDataExport(contextOf(a.orgId, systemActor("retention"))),
      requestDataExport(contextOf(a.orgId, systemActor("retention"))),
    ]);
    expect(concurrent[0].request.id).toBe(concurrent[1].request.id);
    expect(concurrent.filter((r) => r.created)).toHaveLength(1);
    expect(
      (await requestDataDeletion(contextOf(b.orgId, systemActor("retention")), { confirmName: b.name })).created,
    ).toBe(true);
    expect(await db().select().from(dataRequests).where(eq(dataRequests.orgId, a.orgId))).toHaveLength(2);
    await expect(
      requestDataDeletion(contextOf("00000000-0000-4000-8000-000000000000", systemActor("retention")), {
        confirmName: "x",
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("deletion anonymises exactly that org's personal data, keeps billing and usage, audits once and is idempotent", async () => {
    const target = await seedFullOrg("Doomed Co");
    const bystander = await seedFullOrg("Bystander Co");
    // The member also belongs to the bystander org: they keep their account; only the membership goes.
    await db().insert(memberships).values({ orgId: bystander.orgId, userId: target.member.id, role: "viewer" });
    const bystanderBefore = await rowCounts(bystander.orgId);
    const targetBefore = await rowCounts(target.orgId);

    const { request } = await requestDataDeletion(contextOf(target.orgId, { userId: target.owner.id, role: "owner" }), {
      confirmName: target.name,
    });
    const now = new Date();
    const outcome = await processDataRequest(systemContextOf("retention", now), request.id);
    expect(outcome).toMatchObject({ status: "completed", kind: "deletion" });
    const stored = await requestRow(request.id);
    expect(stored).toMatchObject({ status: "completed", completedAt: now, error: null });
    expect(stored.result).toMatchObject({
      counts: {
        api_keys: 1,
        invitations: 1,
        alerts: 1,
        alert_digests: 1,
        tracked_opportunities: 1,
        pipeline_notes: 1,
        pipeline_settings: 1,
        not_relevant_notices: 1,
        notification_channels: 1,
        alert_channels: 1,
        business_profiles: 1,
        memberships: 2,
        users_anonymised: 1,
        sessions: 1,
      },
    });

    const after = await rowCounts(target.orgId);
    expect(after).toEqual({
      ...targetBefore,
      apiKeys: 0,
      invitations: 0,
      alerts: 0,
      alertDigests: 0,
      businessProfiles: 0,
      memberships: 0,
      outboxEmails: 0,
      emailMessages: 0,
      auditEntries: targetBefore.auditEntries + 1,
    });
    // Billing totals and usage counts are kept.
    expect(after).toMatchObject({
      subscriptions: 1,
      creditPacks: 1,
      billingCustomers: 1,
      quotas: 1,
      quotaAdjustments: 2,
      usageEvents: 2,
    });

    const [org] = await db().select().from(organizations).where(eq(organizations.id, target.orgId));
    expect(org!.name).toBe(deletedOrgName(target.orgId));
    expect(org!.name).toBe(`Deleted organisation ${target.orgId.slice(0, 8)}`);

    const owner = await userRow(target.owner.id);
    expect(owner).toMatchObject({
      name: null,
      email: `deleted-${target.owner.id}@deleted.invalid`,
      passwordHash: null,
      emailVerified: null,
    });
    expect(await sessionCount(target.owner.id)).toBe(0);
    expect(await db().select().from(emailTokens).where(eq(emailTokens.userId, target.owner.id))).toHaveLength(0);

    // The shared member and everything of the other org are untouched.
    const member = await userRow(target.member.id);
    expect(member).toMatchObject({
      name: target.member.name,
      email: target.member.email,
      passwordHash: target.member.passwordHash,
    });
    expect(await sessionCount(target.member.id)).toBe(1);
    expect(await db().select().from(memberships).where(eq(memberships.userId, target.member.id))).toEqual([
      expect.objectContaining({ orgId: bystander.orgId }),
    ]);
    expect(await rowCounts(bystander.orgId)).toEqual(bystanderBefore);
    expect(await userRow(bystander.owner.id)).toMatchObject({
      email: bystander.owner.email,
      passwordHash: bystander.owner.passwordHash,
    });
    const [otherOrg] = await db().select().from(organizations).where(eq(organizations.id, bystander.orgId));
    expect(otherOrg!.name).toMatch(/^Bystander Co/);

    const audits = await deletionAudits(target.orgId);
    expect(audits).toEqual([
      expect.objectContaining({ actorType: "user", actorId: target.owner.id, targetId: target.orgId }),
    ]);

    // Processing the completed request again does nothing.
    expect(await processDataRequest(systemContextOf("retention"), request.id)).toEqual({
      status: "skipped",
      requestId: request.id,
      current: "completed",
    });
    expect(await deletionAudits(target.orgId)).toHaveLength(1);
    expect((await requestRow(request.id)).completedAt).toEqual(now);
  });

  it("refuses while a Stripe subscription is live, changes nothing, and completes once retried after cancellation", async () => {
    const full = await seedFullOrg("Live Co");
    // Requested while billing was cancelled; the subscription came back before the run.
    const { request } = await requestDataDeletion(
      contextOf(full.orgId, { kind: "operator", userId: "op-7", email: null }),
      { confirmName: full.name },
    );
    await db().update(subscriptions).set({ status: "past_due" }).where(eq(subscriptions.orgId, full.orgId));
    const before = await rowCounts(full.orgId);

    const refused = await processDataRequest(systemContextOf("retention"), request.id);
    expect(refused).toMatchObject({
      status: "failed",
      kind: "deletion",
      error: expect.stringContaining("live subscription"),
    });
    expect(await requestRow(request.id)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("cancel billing first"),
      completedAt: null,
    });
    expect(await rowCounts(full.orgId)).toEqual(before);
    expect(await userRow(full.owner.id)).toMatchObject({ email: full.owner.email });
    expect(await deletionAudits(full.orgId)).toHaveLength(0);
    // A failed request is not picked up again by itself.
    expect(await processDataRequest(systemContextOf("retention"), request.id)).toMatchObject({
      status: "skipped",
      current: "failed",
    });
    const operator: OperatorActor = { kind: "operator", userId: "op-8", email: null };
    const other = await seedFullOrg("Other Co");
    await expect(retryDataRequest(contextOf(other.orgId, operator), request.id)).rejects.toMatchObject({
      code: "not_found",
    });
    const retried = await retryDataRequest(contextOf(full.orgId, operator), request.id, {
      reason: "billing cancelled",
    });
    expect(retried.request).toMatchObject({ status: "pending", error: null });
    expect(retried.events).toEqual([
      {
        name: "data/deletion.requested",
        // Its own id: Inngest drops an id it saw in the last 24 h, the first request's included.
        id: expect.stringMatching(new RegExp(`^data-deletion-${request.id}-retry-[0-9a-f-]{36}$`)),
        data: { org_id: full.orgId, request_id: request.id, requested_by: "operator:op-7" },
      },
    ]);
    // Written with the change under the retry's own dedupe key, and only its event leaves.
    const retryId = retried.events[0]!.id;
    const [retryRow] = await db()
      .select({ dedupeKey: outboxEvents.dedupeKey, orgId: outboxEvents.orgId, payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(sql`${outboxEvents.payload}->>'id' = ${retryId}`);
    expect(retryRow).toEqual({
      dedupeKey: expect.stringMatching(/^event:data\/deletion\.requested:retry:[0-9a-f-]{36}$/),
      orgId: full.orgId,
      payload: retried.events[0],
    });
    expect(retryId.endsWith(retryRow!.dedupeKey.split(":retry:")[1]!)).toBe(true);
    expect(
      await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, full.orgId), eq(auditLog.action, "data.request.retried"))),
    ).toEqual([
      expect.objectContaining({
        actorType: "operator",
        actorId: "op-8",
        targetId: request.id,
        reason: "billing cancelled",
      }),
    ]);
    await expect(retryDataRequest(contextOf(full.orgId, operator), request.id)).rejects.toMatchObject({
      code: "conflict",
    });

    await db().update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.orgId, full.orgId));
    expect(await processDataRequest(systemContextOf("retention"), request.id)).toMatchObject({ status: "completed" });
    expect(await deletionAudits(full.orgId)).toEqual([
      expect.objectContaining({ actorType: "operator", actorId: "op-7" }),
    ]);
    expect(await userRow(full.owner.id)).toMatchObject({ name: null, passwordHash: null });
  });

  it("two concurrent workers process one request once", async () => {
    const full = await seedFullOrg("Race Co");
    const { request } = await requestDataDeletion(contextOf(full.orgId, systemActor("retention")), {
      confirmName: full.name,
    });
    const outcomes = await Promise.all([
      processDataRequest(systemContextOf("retention"), request.id),
      processDataRequest(systemContextOf("retention"), request.id),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["completed", "skipped"]);
    expect(await deletionAudits(full.orgId)).toEqual([expect.objectContaining({ actorType: "system", actorId: null })]);
    expect((await requestRow(request.id)).status).toBe("completed");
  });

  it("the Inngest function processes the org's pending deletion as one recorded run", async () => {
    const full = await seedFullOrg("Inngest Co");
    const lone = await makePerson("lone");
    const { request } = await requestDataDeletion(contextOf(full.orgId, { userId: full.owner.id, role: "owner" }), {
      confirmName: full.name,
    });

    const result = await runFunctionLocally(dataRequestsFunction, {
      event: { name: "data/deletion.requested", data: { org_id: full.orgId, requested_by: full.owner.id } },
      trigger: "cli",
    });
    expect(result.status).toBe("succeeded");
    const [run] = await db().select().from(jobRuns).where(eq(jobRuns.id, result.jobRunId));
    expect(run).toMatchObject({
      functionId: "data-requests",
      orgId: full.orgId,
      status: "succeeded",
      output: { status: "completed", requestId: request.id },
    });
    expect(await requestRow(request.id)).toMatchObject({ status: "completed" });
    const [org] = await db().select().from(organizations).where(eq(organizations.id, full.orgId));
    expect(org!.name).toBe(deletedOrgName(full.orgId));
    const people = await db()
      .select()
      .from(users)
      .where(inArray(users.id, [full.owner.id, full.member.id, lone.id]));
    expect(
      people
        .filter((p) => p.email.endsWith("@deleted.invalid"))
        .map((p) => p.id)
        .sort(),
    ).toEqual([full.owner.id, full.member.id].sort());

    // A duplicate event (or one naming the request) finds nothing left to do.
    const duplicate = await runFunctionLocally(dataRequestsFunction, {
      event: { name: "data/deletion.requested", data: { org_id: full.orgId, request_id: request.id } },
      trigger: "cli",
    });
    expect(duplicate).toMatchObject({ status: "succeeded", output: { status: "skipped", current: "completed" } });
    expect(await deletionAudits(full.orgId)).toHaveLength(1);
  });

  it("the retention sweep processes what is still pending (exports, deletions whose event was lost), bounded", async () => {
    const a = await seedFullOrg("Sweep A");
    const b = await seedFullOrg("Sweep B");
    const exportRequest = (await requestDataExport(contextOf(a.orgId, { userId: a.owner.id, role: "owner" }))).request;
    const deletionRequest = (
      await requestDataDeletion(contextOf(b.orgId, systemActor("retention")), { confirmName: b.name })
    ).request;
    // Earlier tests may have left failed/pending requests of their own: sweep until none is pending.
    let swept = await processPendingDataRequests(systemContextOf("retention"), { limit: 1 });
    expect(swept.completed + swept.failed).toBe(1);
    while (swept.completed + swept.failed > 0)
      swept = await processPendingDataRequests(systemContextOf("retention"), { limit: 1 });
    expect(await requestRow(exportRequest.id)).toMatchObject({
      status: "completed",
      result: expect.objectContaining({ org_id: a.orgId }),
    });
    expect(await requestRow(deletionRequest.id)).toMatchObject({
      status: "completed",
      result: { counts: expect.objectContaining({ users_anonymised: 2 }) },
    });
  });

  it("a request whose worker died mid-way (still processing, lease expired) is claimed again and completes once; a live lease is left alone", async () => {
    const org = await seedFullOrg("Crashed Export Co");
    const request = (await requestDataExport(contextOf(org.orgId, { userId: org.owner.id, role: "owner" }))).request;
    const t0 = new Date();
    // A worker claimed it and was killed before storing any outcome.
    await db()
      .update(dataRequests)
      .set({ status: "processing", leaseUntil: new Date(t0.getTime() + DATA_REQUEST_LEASE_MS) })
      .where(eq(dataRequests.id, request.id));
    expect(await processDataRequest(systemContextOf("retention", t0), request.id)).toEqual({
      status: "skipped",
      requestId: request.id,
      current: "processing",
    });
    expect(await pendingDataRequest(contextOf(org.orgId, systemActor("retention"), t0), "export")).toBeNull();

    const later = new Date(t0.getTime() + DATA_REQUEST_LEASE_MS + 1_000);
    expect((await pendingDataRequest(contextOf(org.orgId, systemActor("retention"), later), "export"))?.id).toBe(
      request.id,
    );
    const outcome = await processDataRequest(systemContextOf("retention", later), request.id);
    expect(outcome.status).toBe("completed");
    expect(await requestRow(request.id)).toMatchObject({ status: "completed", leaseUntil: null });
    expect(
      (
        await processDataRequest(
          systemContextOf("retention", new Date(later.getTime() + DATA_REQUEST_LEASE_MS * 2)),
          request.id,
        )
      ).status,
    ).toBe("skipped");
  });
});
