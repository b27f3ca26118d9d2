import { is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import * as schema from "@/db/schema";
import { describeEachDatabase } from "@/tests/db";
import { contextOf, systemContextOf } from "@/tests/support/factories";
import { systemActor } from "@/lib/context";
import { requestDataExport, processDataRequest } from "./data-requests";
import { buildExportBundle, EXPORT_COVERAGE } from "./export-bundle";
import { seedFullOrg } from "@/tests/support/retention-fixtures";

/** Every table in db/schema that holds org data: an `org_id` column or a tenant_isolation policy. */
function tenantTablesInSchema(): string[] {
  return (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => getTableConfig(table))
    .filter(
      (config) =>
        config.columns.some((c) => c.name === "org_id") || config.policies.some((p) => p.name === "tenant_isolation"),
    )
    .map((config) => config.name)
    .sort();
}

describe("export coverage", () => {
  it("every tenant table in db/schema is exported or excluded with a reason, and nothing else is listed", () => {
    const tables = tenantTablesInSchema();
    expect(tables.length).toBeGreaterThan(15);
    // A new tenant table fails here until EXPORT_COVERAGE says where it goes (or why it does not).
    expect(tables.filter((t) => !(t in EXPORT_COVERAGE))).toEqual([]);
    expect(Object.keys(EXPORT_COVERAGE).filter((t) => !tables.includes(t))).toEqual([]);
    for (const entry of Object.values(EXPORT_COVERAGE)) {
      if ("excluded" in entry) expect(entry.excluded.length).toBeGreaterThan(20);
    }
  });
});

describeEachDatabase("export bundle", () => {
  it("the migrated database has the same tenant tables as db/schema (nothing outside the coverage list)", async () => {
    const result = await db().execute<{ table_name: string }>(sql`
      select table_name from information_schema.columns where table_schema = 'public' and column_name = 'org_id'
      union
      select tablename as table_name from pg_policies where schemaname = 'public' and policyname = 'tenant_isolation'
      order by 1`);
    expect(result.rows.map((r) => r.table_name)).toEqual(tenantTablesInSchema());
  });

  it("holds everything the org owns, every exported table in its section, and no secrets", async () => {
    const full = await seedFullOrg("Export Co");
    const other = await seedFullOrg("Other Co");
    const { request } = await requestDataExport(contextOf(full.orgId, { userId: full.owner.id, role: "owner" }));

    const now = new Date();
    const bundle = await buildExportBundle(contextOf(full.orgId, systemActor("retention"), now));
    expect(bundle).toMatchObject({ format_version: 1, generated_at: now.toISOString(), org_id: full.orgId });
    expect(bundle.organization).toMatchObject({ id: full.orgId, plan: "pro" });
    expect(bundle.members.map((m) => [m.email, m.role]).sort()).toEqual(
      [
        [full.owner.email, "owner"],
        [full.member.email, "member"],
      ].sort(),
    );
    expect(bundle.members[0]).toMatchObject({ name: expect.any(String), joined_at: expect.any(String) });
    expect(bundle.invitations).toEqual([
      expect.objectContaining({ role: "viewer", status: "open", expires_at: expect.any(String) }),
    ]);
    expect(bundle.business_profile).toMatchObject({ naics_codes: ["541511"], keywords: ["cloud"] });
    expect(bundle.onboarding).toMatchObject({ profile_completed_at: expect.any(String) });
    expect(bundle.alerts).toEqual([expect.objectContaining({ name: "Cloud work", frequency: "daily" })]);
    expect(bundle.alert_digests).toEqual([expect.objectContaining({ match_count: 3, emailed: true })]);
    expect(bundle.api_keys).toEqual([
      expect.objectContaining({ id: full.apiKeyId, name: "CI", last_used_at: expect.any(String), revoked_at: null }),
    ]);
    expect(bundle.billing_customer).toMatchObject({ stripe_customer_id: expect.stringMatching(/^cus_/) });
    expect(bundle.subscriptions).toEqual([expect.objectContaining({ status: "canceled", plan: "pro" })]);
    expect(bundle.credit_packs).toEqual([expect.objectContaining({ credits: 1_000, credits_revoked: 0 })]);
    expect(bundle.quota).toMatchObject({ quota_monthly: 5_000, quota_remaining: 5_998 });
    expect(bundle.quota_adjustments.map((q) => q.reason).sort()).toEqual(["credit_pack", "period_opened"]);
    expect(bundle.usage_events.events).toHaveLength(2);
    expect(bundle.usage_events.truncated).toBe(false);
    expect(bundle.usage_by_month).toEqual([expect.objectContaining({ endpoint: "/v1/opportunities", calls: 2 })]);
    expect(bundle.audit_log.entries.map((e) => e.action)).toEqual(["org.member.invited"]);
    expect(bundle.outbox_emails.emails).toEqual([
      expect.objectContaining({ email_kind: "invitation", subject: "You are invited", status: "pending" }),
    ]);
    expect(bundle.emails.emails).toEqual([
      expect.objectContaining({ email_kind: "alert_digest", subject: "3 new matches" }),
    ]);
    expect(bundle.pipeline).toEqual([
      expect.objectContaining({ stage: "bidding", assignee_id: full.member.id, created_by: full.owner.id }),
    ]);
    expect(bundle.pipeline_notes).toEqual([expect.objectContaining({ body: "Site visit on Tuesday" })]);
    expect(bundle.pipeline_settings).toMatchObject({ reminder_days: 5 });
    expect(bundle.not_relevant).toEqual([expect.objectContaining({ marked_by: full.member.id })]);
    // A channel's name, kind and host only: its sealed URL and secret never leave.
    expect(bundle.channels).toEqual([
      expect.objectContaining({ kind: "webhook", name: "Capture team hook", url_hint: "hooks.retention.test …abcd" }),
    ]);
    expect(bundle.alert_channels).toEqual([{ alert_id: expect.any(String), channel_id: bundle.channels[0]!.id }]);
    expect(bundle.data_requests).toEqual([
      expect.objectContaining({ id: request.id, kind: "export", status: "pending" }),
    ]);

    // Every exported table lands in its section, and the seeded org has data in each one.
    for (const [table, entry] of Object.entries(EXPORT_COVERAGE)) {
      if (!("section" in entry)) continue;
      const section = (bundle as Record<string, unknown>)[entry.section];
      expect(section, `${table} → ${entry.section}`).toBeTruthy();
      expect(JSON.stringify(section), `${table} → ${entry.section}`).not.toMatch(/^(\[\]|\{\})$/);
    }

    const json = JSON.stringify(bundle);
    for (const field of [
      "key_hash",
      "keyHash",
      "token_hash",
      "tokenHash",
      "password_hash",
      "passwordHash",
      "text_body",
      "html_body",
      "session_token",
    ]) {
      expect(json).not.toContain(field);
    }
    for (const secret of Object.values(full.secrets)) expect(json).not.toContain(secret);
    // Nothing of another org.
    expect(json).not.toContain(other.orgId);
    expect(json).not.toContain(other.owner.email);

    // Processing the request stores the same bundle as the result, once.
    const done = await processDataRequest(systemContextOf("retention", now), request.id);
    expect(done).toMatchObject({ status: "completed", kind: "export" });
    const stored = await db()
      .select()
      .from(schema.dataRequests)
      .where(sql`${schema.dataRequests.id} = ${request.id}`);
    expect(stored[0]).toMatchObject({
      status: "completed",
      completedAt: now,
      result: expect.objectContaining({ org_id: full.orgId, format_version: 1 }),
    });
    expect(JSON.stringify(stored[0]!.result)).not.toContain(full.secrets.keyHash);
    expect(await processDataRequest(systemContextOf("retention", now), request.id)).toEqual({
      status: "skipped",
      requestId: request.id,
      current: "completed",
    });
  });

  it("refuses an org that does not exist", async () => {
    await expect(
      buildExportBundle(contextOf("00000000-0000-4000-8000-000000000000", systemActor("retention"))),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
