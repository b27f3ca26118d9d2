// GET /api/admin/exports/accounting.csv through the real handler, database and a Stripe-speaking server.
import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as accounting from "@/app/api/admin/exports/accounting.csv/route";
import { db } from "@/db/client";
import { auditLog, billingCustomers, subscriptions } from "@/db/schema";
import { makeOrg } from "@/tests/support/factories";
import { PROBLEM_CONTENT_TYPE } from "@/lib/http";
import { ACCOUNTING_COLUMNS } from "@/lib/ops";
import { describeOnOneDatabase } from "@/tests/db";
import { perTestEnv, withTestEnv } from "@/tests/env";
import { startFakeStripe, type FakeStripe } from "@/tests/fakes/stripe-api";
import { callRoute, operatorCookies, sessionCookieFor, type RouteHandler } from "@/tests/route-helpers";

const HOSTILE_NAMES = ['=HYPERLINK("x")', "+1", "-2", "@x", "\tTabbed", "\rReturned"];
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function exportCsv(cookie: string, query = "") {
  return callRoute(accounting.GET as RouteHandler, { path: `/api/admin/exports/accounting.csv${query}`, cookie });
}

async function rowsOf(response: Response) {
  const text = await response.text();
  const records = parse(text, { bom: true }) as string[][];
  const [header, ...rows] = records;
  return { text, header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))) };
}

describeOnOneDatabase("accounting CSV export", () => {
  let cookies: Awaited<ReturnType<typeof operatorCookies>>;
  let stripe: FakeStripe;
  const customer = `cus_acct_${randomUUID().slice(0, 8)}`;
  let payingOrg = "";

  beforeAll(async () => {
    stripe = await startFakeStripe();
  });
  withTestEnv(() => ({ STRIPE_SECRET_KEY: "sk_test_accounting_export", STRIPE_API_BASE_URL: stripe.url }));
  const setEnv = perTestEnv();

  beforeAll(async () => {
    cookies = await operatorCookies();
    for (const name of HOSTILE_NAMES) await makeOrg("free", name);
    await makeOrg("starter", "Plain Co");
    payingOrg = (await makeOrg("pro", "Paying Co")).orgId;
    await db().insert(billingCustomers).values({ orgId: payingOrg, stripeCustomerId: customer });
    await db()
      .insert(subscriptions)
      .values({
        orgId: payingOrg,
        stripeSubscriptionId: `sub_${randomUUID()}`,
        stripeCustomerId: customer,
        status: "active",
        plan: "pro",
      });
    stripe.addInvoice(customer, { total: 2900, created: unix("2026-01-10T12:00:00Z") });
    stripe.addInvoice(customer, { total: 4900, status: "open", created: unix("2026-03-31T23:59:59Z") });
    stripe.addInvoice("cus_linked_to_nobody", { total: 100, created: unix("2026-02-01T00:00:00Z") });
    // More than one page of Stripe's list (100), so the export follows `has_more`.
    for (let i = 0; i < 105; i++)
      stripe.addInvoice(`cus_bulk_${i}`, { total: 1, created: unix("2025-06-01T00:00:00Z") + i });
  });

  afterAll(async () => {
    await stripe.close();
  });

  it("gives ops_admin a CSV attachment: a row per invoice, a row per org without one, hostile names neutralised; audited", async () => {
    const response = await exportCsv(cookies.ops_admin);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="beacon-accounting-all-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const requestId = response.headers.get("x-request-id");
    const { text, header, rows } = await rowsOf(response);
    expect(header).toEqual([...ACCOUNTING_COLUMNS]);

    // Each hostile name is one row, text with a leading apostrophe, exactly as a spreadsheet must show it.
    for (const name of HOSTILE_NAMES) {
      const matching = rows.filter((r) => r.org_name === `'${name}`);
      expect(matching, name).toHaveLength(1);
      expect(matching[0]).toMatchObject({ plan: "free", invoice_id: "", amount_due_cents: "" });
    }
    expect(rows.some((r) => /^[=+\-@\t\r]/.test(r.org_name!))).toBe(false);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(rows.filter((r) => r.org_name === "Plain Co")).toEqual([
      expect.objectContaining({ plan: "starter", subscription_status: "", stripe_customer_id: "", invoice_id: "" }),
    ]);

    const paying = rows.filter((r) => r.org_id === payingOrg);
    expect(
      paying.map((r) => [
        r.org_name,
        r.plan,
        r.subscription_status,
        r.stripe_customer_id,
        r.invoice_status,
        r.invoice_created_at,
        r.currency,
        r.amount_due_cents,
        r.amount_paid_cents,
        r.total_cents,
      ]),
    ).toEqual([
      ["Paying Co", "pro", "active", customer, "paid", "2026-01-10T12:00:00.000Z", "usd", "2900", "2900", "2900"],
      ["Paying Co", "pro", "active", customer, "open", "2026-03-31T23:59:59.000Z", "usd", "4900", "0", "4900"],
    ]);
    expect(paying.every((r) => r.invoice_id!.startsWith("in_") && r.invoice_number!.startsWith("FAKE-"))).toBe(true);
    // Invoices of Stripe customers without an org are kept, so the file adds up to Stripe's totals.
    const unlinked = rows.filter((r) => r.org_id === "");
    expect(unlinked).toHaveLength(106);
    expect(unlinked.find((r) => r.stripe_customer_id === "cus_linked_to_nobody")).toMatchObject({ total_cents: "100" });

    const [audit] = await db().select().from(auditLog).where(eq(auditLog.requestId, requestId!));
    expect(audit).toMatchObject({
      action: "ops.accounting.exported",
      actorType: "operator",
      after: expect.objectContaining({ invoices: 108, unlinked_invoices: 106, rows: rows.length }),
    });
    expect(audit!.actorEmail).toMatch(/^ops_admin-/);
  });

  it("filters invoices by from/to (UTC days, `to` included) and still lists every org", async () => {
    const response = await exportCsv(cookies.ops_admin, "?from=2026-03-01&to=2026-03-31");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(
      /filename="beacon-accounting-2026-03-01_to_2026-03-31-/,
    );
    const { rows } = await rowsOf(response);
    expect(rows.filter((r) => r.org_id === payingOrg).map((r) => r.total_cents)).toEqual(["4900"]);
    expect(rows.filter((r) => r.org_id === "")).toEqual([]);
    expect(rows.filter((r) => r.org_name === "Plain Co")).toHaveLength(1);

    const before = await exportCsv(cookies.ops_admin, "?to=2026-01-10");
    const early = (await rowsOf(before)).rows;
    expect(early.filter((r) => r.org_id === payingOrg).map((r) => r.total_cents)).toEqual(["2900"]);
    expect(early.filter((r) => r.org_id === "")).toHaveLength(105);

    // The cockpit form's empty fields mean "no bound".
    const unbounded = await exportCsv(cookies.ops_admin, "?from=&to=");
    expect(unbounded.headers.get("content-disposition")).toMatch(/filename="beacon-accounting-all-/);
    expect((await rowsOf(unbounded)).rows.filter((r) => r.org_id === payingOrg)).toHaveLength(2);
  });

  it("refuses bad dates, reversed ranges and unknown parameters with Problem+JSON, and writes no audit entry", async () => {
    const auditsBefore = (await db().select().from(auditLog)).length;
    for (const query of [
      "?from=2026-13-01",
      "?to=2026-02-30",
      "?from=yesterday",
      "?from=2026-03-02&to=2026-03-01",
      "?format=xlsx",
      "?from=2026-01-01&from=2026-02-01",
    ]) {
      const response = await exportCsv(cookies.ops_admin, query);
      expect(response.status, query).toBe(422);
      expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
      expect(await response.json()).toMatchObject({ code: "validation_failed", errors: expect.any(Array) });
    }
    expect((await db().select().from(auditLog)).length).toBe(auditsBefore);
  });

  it("is for ops_admin only: support and viewer operators, unverified sessions, customers and strangers are refused", async () => {
    const auditsBefore = (await db().select().from(auditLog)).length;
    expect((await exportCsv(cookies.ops_support)).status).toBe(403);
    expect((await exportCsv(cookies.ops_viewer)).status).toBe(403);
    const unverified = await exportCsv(cookies.unverified);
    expect(unverified.status).toBe(401);
    expect((await unverified.json()).code).toBe("mfa_required");
    const owner = await makeOrg("free", "Curious Customer");
    expect((await exportCsv(await sessionCookieFor(owner.owner.userId))).status).toBe(403);
    expect((await exportCsv("")).status).toBe(401);
    expect((await db().select().from(auditLog)).length).toBe(auditsBefore);
  });

  it("refuses (409) rather than under-report when Stripe is not configured but customers exist", async () => {
    setEnv({ STRIPE_SECRET_KEY: undefined });
    const response = await exportCsv(cookies.ops_admin);
    expect(response.status).toBe(409);
    expect((await response.json()).detail).toMatch(/STRIPE_SECRET_KEY/);
  });
});
