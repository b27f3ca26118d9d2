// The operator customers API through the real handlers, authenticators and database.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as customerAction from "@/app/api/admin/customers/[id]/actions/[action]/route";
import * as customerExport from "@/app/api/admin/customers/[id]/export/route";
import * as customer from "@/app/api/admin/customers/[id]/route";
import * as customers from "@/app/api/admin/customers/route";
import { db } from "@/db/client";
import { auditLog, opsAlerts, organizations, subscriptions } from "@/db/schema";
import { contextOf, makeOrg } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";
import { monthlyUsageReport } from "@/lib/metering";
import { describeOnOneDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { callRoute, operatorCookies, type RouteHandler } from "@/tests/route-helpers";

type ParamsHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route with both `id` and `action` params. */
function callAction(orgId: string, action: string, cookie: string, body?: unknown) {
  const headers: Record<string, string> = { cookie };
  if (body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`http://localhost:3000/api/admin/customers/${orgId}/actions/${action}`, {
    method: "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (customerAction.POST as unknown as ParamsHandler)(request, { params: Promise.resolve({ id: orgId, action }) });
}

const setEnv = perTestEnv();

describeOnOneDatabase("operator customers API", () => {
  let cookies: Awaited<ReturnType<typeof operatorCookies>>;
  beforeAll(async () => {
    cookies = await operatorCookies();
  });

  it("finds customers by name or member e-mail; the detail masks e-mails for viewers", async () => {
    const org = await makeOrg("starter", "Findable Widgets");
    const byName = await (
      await callRoute(customers.GET as RouteHandler, {
        path: "/api/admin/customers?q=findable",
        cookie: cookies.ops_viewer,
      })
    ).json();
    expect(byName.data.map((c: { org_id: string }) => c.org_id)).toContain(org.orgId);
    const byEmail = await (
      await callRoute(customers.GET as RouteHandler, {
        path: `/api/admin/customers?q=${encodeURIComponent(org.ownerEmail)}`,
        cookie: cookies.ops_support,
      })
    ).json();
    expect(byEmail.data.map((c: { org_id: string }) => c.org_id)).toEqual([org.orgId]);

    const detail = await (
      await callRoute(customer.GET as RouteHandler, {
        path: `/api/admin/customers/${org.orgId}`,
        id: org.orgId,
        cookie: cookies.ops_viewer,
      })
    ).json();
    expect(detail.org.name).toBe("Findable Widgets");
    expect(detail.usage.plan).toBe("starter");
    expect(JSON.stringify(detail.members)).not.toContain(org.ownerEmail);
    const missing = await callRoute(customer.GET as RouteHandler, {
      path: "/api/admin/customers/nope",
      id: "nope",
      cookie: cookies.ops_viewer,
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).detail).toBe("No such customer.");
  });

  it("grant credits is ops_admin only, adds to the credit balance through the ledger (no drift) and is audited", async () => {
    const org = await makeOrg("free", "Credit Co");
    expect(
      (await callAction(org.orgId, "grant-credits", cookies.ops_support, { credits: 500, reason: "goodwill" })).status,
    ).toBe(403);
    expect(
      (await callAction(org.orgId, "grant-credits", cookies.ops_admin, { credits: -5, reason: "nope" })).status,
    ).toBe(422);
    const granted = await callAction(org.orgId, "grant-credits", cookies.ops_admin, {
      credits: 500,
      reason: "goodwill after an outage",
    });
    expect(granted.status).toBe(200);
    // Operator grants are credits: the month's allowance (free: 100) is untouched.
    expect((await granted.json()).result).toEqual({ creditsRemaining: 500 });
    const report = await monthlyUsageReport(
      contextOf(org.orgId, systemActor("seed")),
      new Date().toISOString().slice(0, 7),
    );
    expect(report).toMatchObject({ drift: 0, stored_remaining: 100, credits: { stored_remaining: 500, drift: 0 } });
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, "ops.customer.credits_granted"));
    expect(audit).toMatchObject({
      orgId: org.orgId,
      reason: "goodwill after an outage",
      before: { credits_remaining: 0 },
      after: { credits_remaining: 500, credits: 500 },
    });
  });

  it("mute, unmute and reset-stuck change what they say, audited; incident mode refuses them", async () => {
    const org = await makeOrg("free", "Stuck Co");
    await db()
      .insert(opsAlerts)
      .values({ kind: "onboarding_idle", subject: org.orgId, orgId: org.orgId, summary: "idle" });
    expect((await callAction(org.orgId, "mute-alerts", cookies.ops_viewer, { hours: 2 })).status).toBe(403);
    expect((await callAction(org.orgId, "mute-alerts", cookies.ops_support, { hours: 48 })).status).toBe(200);
    const [muted] = await db()
      .select({ until: organizations.opsAlertsMutedUntil })
      .from(organizations)
      .where(eq(organizations.id, org.orgId));
    expect(muted!.until!.getTime()).toBeGreaterThan(Date.now() + 47 * 3_600_000);
    expect((await callAction(org.orgId, "unmute-alerts", cookies.ops_support)).status).toBe(200);
    const [unmuted] = await db()
      .select({ until: organizations.opsAlertsMutedUntil })
      .from(organizations)
      .where(eq(organizations.id, org.orgId));
    expect(unmuted!.until).toBeNull();
    const reset = await callAction(org.orgId, "reset-stuck", cookies.ops_support, { reason: "called the customer" });
    expect((await reset.json()).result).toEqual({ resolved: 1 });
    expect((await callAction(org.orgId, "activate", cookies.ops_support)).status).toBe(409);
    expect((await callAction(org.orgId, "explode", cookies.ops_admin)).status).toBe(404);

    setEnv({ ADMIN_READ_ONLY: "true" });
    const readOnly = await callAction(org.orgId, "mute-alerts", cookies.ops_admin, { hours: 1 });
    expect(readOnly.status).toBe(409);
    expect((await readOnly.json()).code).toBe("read_only");
    const actions = (await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, org.orgId)))
      .map((a) => a.action)
      .sort();
    expect(actions).toEqual(["ops.customer.alerts_muted", "ops.customer.alerts_unmuted", "ops.customer.stuck_reset"]);
  });

  it("export gives the JSON bundle to support and admins (audited), not to viewers", async () => {
    const org = await makeOrg("pro", "Export Co");
    expect(
      (
        await callRoute(customerExport.GET as RouteHandler, {
          path: `/api/admin/customers/${org.orgId}/export`,
          id: org.orgId,
          cookie: cookies.ops_viewer,
        })
      ).status,
    ).toBe(403);
    const res = await callRoute(customerExport.GET as RouteHandler, {
      path: `/api/admin/customers/${org.orgId}/export`,
      id: org.orgId,
      cookie: cookies.ops_support,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const bundle = await res.json();
    expect(bundle.org_id).toBe(org.orgId);
    expect(JSON.stringify(bundle)).not.toMatch(/password_hash|key_hash|token_hash/);
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "ops.customer.exported"))).toHaveLength(1);
  });

  it("hard delete needs ops_admin, the exact name and no live subscription; it is one audited transaction", async () => {
    const org = await makeOrg("pro", "Doomed Co");
    const del = (cookie: string, body: unknown) =>
      callRoute(customer.DELETE as RouteHandler, {
        path: `/api/admin/customers/${org.orgId}`,
        method: "DELETE",
        id: org.orgId,
        cookie,
        body,
      });
    expect((await del(cookies.ops_support, { confirm_name: "Doomed Co" })).status).toBe(403);
    expect((await del(cookies.ops_admin, { confirm_name: "doomed co" })).status).toBe(422);
    await db()
      .insert(subscriptions)
      .values({ orgId: org.orgId, stripeSubscriptionId: "sub_doomed", status: "active", plan: "pro" });
    expect((await del(cookies.ops_admin, { confirm_name: "Doomed Co" })).status).toBe(409);
    await db().update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.orgId, org.orgId));
    expect((await del(cookies.ops_admin, { confirm_name: "Doomed Co" })).status).toBe(204);
    expect(await db().select().from(organizations).where(eq(organizations.id, org.orgId))).toHaveLength(0);
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, "ops.customer.deleted"));
    expect(audit).toMatchObject({
      orgId: org.orgId,
      before: expect.objectContaining({ name: "Doomed Co", plan: "pro" }),
    });
  });
});
