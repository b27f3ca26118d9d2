// The customers list (tabs, paging) and one customer's timeline through the real handlers and database.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as timeline from "@/app/api/admin/customers/[id]/timeline/route";
import * as customers from "@/app/api/admin/customers/route";
import * as customerAction from "@/app/api/admin/customers/[id]/actions/[action]/route";
import { db } from "@/db/client";
import { jobRuns, opsAlerts, organizations, outboxEvents, stripeEvents, subscriptions } from "@/db/schema";
import { createAlert, updateAlert } from "@/lib/alerts";
import { recordAudit } from "@/lib/audit";
import { makeOrg, contextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";
import { createApiKey, revokeApiKey } from "@/lib/auth";
import { chargeApiCall } from "@/lib/metering";
import {
  choosePlan,
  completeOnboarding,
  createFirstAlert,
  markMatchesViewed,
  saveBusinessProfile,
} from "@/lib/onboarding";
import { describeOnOneDatabase } from "@/tests/db";
import { callRoute, operatorCookies, type RouteHandler } from "@/tests/route-helpers";

type Entry = { key: string; kind: string; at: string; title: string; detail: string | null; href: string | null };

async function timelinePages(orgId: string, cookie: string, query = "limit=3") {
  const seen: Entry[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const path = `/api/admin/customers/${orgId}/timeline?${query}${cursor ? `&cursor=${cursor}` : ""}`;
    const res = await callRoute(timeline.GET as RouteHandler, { path, id: orgId, cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Entry[]; next_cursor: string | null };
    seen.push(...body.data);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return seen;
}

describeOnOneDatabase("operator customers list and timeline", () => {
  let cookies: Awaited<ReturnType<typeof operatorCookies>>;
  beforeAll(async () => {
    cookies = await operatorCookies();
  });

  it("the timeline merges audit, e-mails, payments, Stripe events, runs and alerts newest first; pages never repeat or skip, even on shared timestamps", async () => {
    const org = await makeOrg("starter", "Timeline Co");
    const other = await makeOrg("starter", "Other Co");
    const t0 = new Date("2026-11-01T10:00:00.000Z");
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    await recordAudit(db(), {
      actor: { type: "operator", id: "op", email: "ops.person@example.com" },
      orgId: org.orgId,
      action: "ops.customer.credits_granted",
      target: { type: "organization", id: org.orgId },
      at: at(5),
    });
    await db()
      .insert(outboxEvents)
      .values([
        {
          orgId: org.orgId,
          kind: "email",
          dedupeKey: "digest-1",
          payload: { kind: "digest", to: "owner.person@example.com", subject: "3 new opportunities", text: "…" },
          status: "delivered",
          createdAt: at(5),
        },
        {
          orgId: other.orgId,
          kind: "email",
          dedupeKey: "digest-1",
          payload: { kind: "digest", to: "x@example.com", subject: "Not theirs", text: "…" },
          createdAt: at(5),
        },
      ]);
    await db()
      .insert(stripeEvents)
      .values([
        { id: "evt_tl_paid", type: "invoice.paid", created: at(5), status: "processed", orgId: org.orgId },
        {
          id: "evt_tl_sub",
          type: "customer.subscription.updated",
          created: at(1),
          status: "failed",
          lastError: "boom",
          orgId: org.orgId,
        },
      ]);
    await db()
      .insert(jobRuns)
      .values([
        {
          functionId: "alert-digests",
          runId: "tl-run-1",
          orgId: org.orgId,
          status: "failed",
          error: "SMTP down",
          createdAt: at(2),
        },
        { functionId: "alert-digests", runId: "tl-run-2", orgId: other.orgId, status: "failed", createdAt: at(3) },
      ]);
    await db()
      .insert(opsAlerts)
      .values({
        kind: "payment_failed",
        subject: org.orgId,
        orgId: org.orgId,
        summary: "Timeline Co: payment failing",
        firstSeenAt: at(0),
      });

    const all = await timelinePages(org.orgId, cookies.ops_support);
    // Order: newest first, ties broken by key descending; nothing from the other org.
    expect(all.map((e) => e.key.split(":")[0])).toEqual([
      "payment",
      "email",
      "audit",
      "job_run",
      "stripe_event",
      "ops_alert",
    ]);
    expect(new Set(all.map((e) => e.key)).size).toBe(6);
    expect(all.find((e) => e.kind === "email")).toMatchObject({
      title: "3 new opportunities",
      detail: "owner.person@example.com",
    });
    expect(all.find((e) => e.kind === "job_run")).toMatchObject({ title: "alert-digests", detail: "SMTP down" });
    expect(all.find((e) => e.kind === "payment")?.href).toBe("/admin/ops/stripe-events?id=evt_tl_paid");

    // One page of everything equals the paged walk.
    const onePage = await timelinePages(org.orgId, cookies.ops_support, "limit=50");
    expect(onePage.map((e) => e.key)).toEqual(all.map((e) => e.key));

    // Viewers see addresses masked; a kind filter narrows the sources.
    const masked = await timelinePages(org.orgId, cookies.ops_viewer, "limit=50");
    expect(JSON.stringify(masked)).not.toContain("owner.person@example.com");
    expect(JSON.stringify(masked)).not.toContain("ops.person@example.com");
    const runsOnly = await timelinePages(org.orgId, cookies.ops_viewer, "kind=job_run,ops_alert");
    expect(runsOnly.map((e) => e.kind)).toEqual(["job_run", "ops_alert"]);

    expect(
      (
        await callRoute(timeline.GET as RouteHandler, {
          path: `/api/admin/customers/${org.orgId}/timeline?kind=passwords`,
          id: org.orgId,
          cookie: cookies.ops_admin,
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await callRoute(timeline.GET as RouteHandler, {
          path: `/api/admin/customers/${org.orgId}/timeline?cursor=bogus`,
          id: org.orgId,
          cookie: cookies.ops_admin,
        })
      ).status,
    ).toBe(422);
    const missing = await callRoute(timeline.GET as RouteHandler, {
      path: "/api/admin/customers/nope/timeline",
      id: "nope",
      cookie: cookies.ops_admin,
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).detail).toBe("No such customer.");
    expect(
      (
        await callRoute(timeline.GET as RouteHandler, {
          path: `/api/admin/customers/${org.orgId}/timeline`,
          id: org.orgId,
          cookie: cookies.unverified,
        })
      ).status,
    ).toBe(401);
  });

  it("the timeline shows the customer's own activity: onboarding steps, alerts saved and paused, keys made and revoked, API calls per day", async () => {
    const { orgId, owner } = await makeOrg("starter", "Busy Customer");
    const other = await makeOrg("starter", "Quiet Customer");
    const day = (d: number, h: number) => new Date(Date.UTC(2026, 10, d, h));
    await saveBusinessProfile(contextOf(orgId, owner, day(2, 9)), {
      companyName: "Busy Customer LLC",
      naicsCodes: ["541512"],
      keywords: ["cloud"],
      setAsides: [],
      states: ["VA"],
    });
    await createFirstAlert(contextOf(orgId, owner, day(2, 10)), {
      name: "Cloud work",
      frequency: "instant",
      deliveryEmail: "owner@busy.test",
    });
    await markMatchesViewed(contextOf(orgId, owner, day(2, 11)));
    await choosePlan(contextOf(orgId, owner, day(2, 12)), "starter");
    await completeOnboarding(contextOf(orgId, owner, day(2, 13)));
    const weekly = await createAlert(contextOf(orgId, owner, day(3, 9)), {
      name: "Weekly roundup",
      frequency: "weekly",
      naics: ["5415"],
    });
    await updateAlert(contextOf(orgId, owner, day(4, 9)), weekly.id, { active: false });
    const kept = await createApiKey(contextOf(orgId, owner), { name: "CRM sync" });
    const dropped = await createApiKey(contextOf(orgId, owner), { name: "Old script" });
    await revokeApiKey(contextOf(orgId, owner), dropped.id);
    for (const at of [day(3, 10), day(3, 11), day(3, 12), day(4, 8)])
      await chargeApiCall(contextOf(orgId, { apiKeyId: kept.id }, at), "GET /api/v1/opportunities");
    await chargeApiCall(contextOf(other.orgId, systemActor("seed"), day(3, 10)), "GET /api/v1/opportunities");

    const all = await timelinePages(orgId, cookies.ops_support, "limit=50");
    const titles = (kind: string) => all.filter((e) => e.kind === kind).map((e) => e.title);
    expect(titles("onboarding")).toEqual([
      "Onboarding completed",
      "Onboarding: plan chosen",
      "Onboarding: matches viewed",
      "Onboarding: first alert created",
      "Onboarding: business profile saved",
    ]);
    expect(all.find((e) => e.title === "Onboarding: business profile saved")?.at).toBe(day(2, 9).toISOString());
    expect(titles("alert")).toEqual([
      "Alert paused: Weekly roundup",
      "Alert created: Weekly roundup",
      "Alert created: Cloud work",
    ]);
    expect(titles("api_key").sort()).toEqual([
      "API key created: CRM sync",
      "API key created: Old script",
      "API key revoked: Old script",
    ]);
    expect(all.find((e) => e.title === "API key created: CRM sync")?.detail).toBe(`${kept.prefix}…`);
    // One entry per UTC day with the count, at the day's last call; only this customer's calls.
    expect(all.filter((e) => e.kind === "api_usage").map((e) => [e.title, e.at])).toEqual([
      ["1 API call on 2026-11-04", day(4, 8).toISOString()],
      ["3 API calls on 2026-11-03", day(3, 12).toISOString()],
    ]);
    // Newest first across every source, and paging walks the same entries.
    expect([...all].map((e) => e.at)).toEqual(
      [...all]
        .map((e) => e.at)
        .sort()
        .reverse(),
    );
    expect((await timelinePages(orgId, cookies.ops_support, "limit=4")).map((e) => e.key)).toEqual(
      all.map((e) => e.key),
    );
    expect(JSON.stringify(all)).not.toContain(kept.key);
    const activityOnly = await timelinePages(orgId, cookies.ops_viewer, "kind=api_usage&limit=50");
    expect(activityOnly.map((e) => e.kind)).toEqual(["api_usage", "api_usage"]);
  });

  it("the customers list pages newest first and filters by tab: trialing, past due, free, stuck", async () => {
    const trialing = await makeOrg("starter", "Tab Trialing");
    const pastDue = await makeOrg("pro", "Tab Past Due");
    const stuck = await makeOrg("free", "Tab Stuck");
    await db()
      .insert(subscriptions)
      .values([
        { orgId: trialing.orgId, stripeSubscriptionId: "sub_tab_trial", status: "trialing", plan: "starter" },
        { orgId: pastDue.orgId, stripeSubscriptionId: "sub_tab_due", status: "past_due", plan: "pro" },
      ]);
    // Stuck: signed up two days ago and never saved a business profile (the detector opened its alert).
    await db()
      .update(organizations)
      .set({ createdAt: new Date(Date.now() - 48 * 3_600_000) })
      .where(eq(organizations.id, stuck.orgId));
    await db()
      .insert(opsAlerts)
      .values({ kind: "onboarding_idle", subject: stuck.orgId, orgId: stuck.orgId, summary: "idle" });
    const list = async (query: string) =>
      (await (
        await callRoute(customers.GET as RouteHandler, {
          path: `/api/admin/customers?${query}`,
          cookie: cookies.ops_viewer,
        })
      ).json()) as {
        data: { org_id: string; subscription_status: string | null; open_ops_alerts: number }[];
        next_cursor: string | null;
      };

    expect((await list("segment=trialing&q=Tab")).data.map((c) => c.org_id)).toEqual([trialing.orgId]);
    expect((await list("segment=past_due&q=Tab")).data).toEqual([
      expect.objectContaining({ org_id: pastDue.orgId, subscription_status: "past_due" }),
    ]);
    expect((await list("segment=stuck&q=Tab")).data).toEqual([
      expect.objectContaining({ org_id: stuck.orgId, open_ops_alerts: 1 }),
    ]);
    expect((await list("segment=free&q=Tab")).data.map((c) => c.org_id)).toEqual([stuck.orgId]);

    const first = await list("q=Tab&limit=2");
    expect(first.data.map((c) => c.org_id)).toEqual([pastDue.orgId, trialing.orgId]);
    const second = await list(`q=Tab&limit=2&cursor=${first.next_cursor}`);
    expect(second.data.map((c) => c.org_id)).toEqual([stuck.orgId]);
    expect(second.next_cursor).toBeNull();
    expect(
      (
        await callRoute(customers.GET as RouteHandler, {
          path: "/api/admin/customers?segment=rich",
          cookie: cookies.ops_viewer,
        })
      ).status,
    ).toBe(422);
  });

  it("extend trial is a money action: ops_admin only, validated, refused without a trialing subscription", async () => {
    const org = await makeOrg("free", "No Trial Here");
    const call = (cookie: string, body: unknown) =>
      (
        customerAction.POST as unknown as (
          r: Request,
          c: { params: Promise<Record<string, string>> },
        ) => Promise<Response>
      )(
        new Request(`http://localhost:3000/api/admin/customers/${org.orgId}/actions/extend-trial`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ id: org.orgId, action: "extend-trial" }) },
      );
    expect((await call(cookies.ops_support, { days: 7, reason: "asked nicely" })).status).toBe(403);
    expect((await call(cookies.ops_admin, { days: 0, reason: "asked nicely" })).status).toBe(422);
    expect((await call(cookies.ops_admin, { days: 7 })).status).toBe(422);
    const refused = await call(cookies.ops_admin, { days: 7, reason: "asked nicely" });
    expect(refused.status).toBe(409);
    expect((await refused.json()).detail).toMatch(/no trialing subscription/);
  });
});
