import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { decodeTimeCursor } from "@/lib/http";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { listAudit, recordAudit, recordAuditAlone } from "./index";
import { operatorContextOf } from "@/tests/support/factories";

describeEachDatabase("audit log", () => {
  it("records entries and lists them newest first with filters and a keyset cursor", async () => {
    const orgId = "00000000-0000-4000-8000-0000000000a1";
    const base = Date.parse("2026-03-01T00:00:00Z");
    for (let i = 0; i < 5; i++) {
      await recordAudit(db(), {
        actor: { type: "user", id: `user-${i % 2}`, email: `u${i % 2}@example.com` },
        action: i % 2 ? "billing.subscription.paused" : "billing.subscription.resumed",
        orgId,
        target: { type: "subscription", id: `sub_${i}` },
        before: { paused: i % 2 === 0 },
        after: { paused: i % 2 === 1 },
        at: new Date(base + i * 1000),
      });
    }
    const { data: all } = await listAudit(operatorContextOf(), { orgId });
    expect(all.map((r) => r.targetId)).toEqual(["sub_4", "sub_3", "sub_2", "sub_1", "sub_0"]);
    const { data: paused } = await listAudit(operatorContextOf(), { orgId, action: "billing.subscription.paused" });
    expect(paused.map((r) => r.targetId)).toEqual(["sub_3", "sub_1"]);
    const page1 = await listAudit(operatorContextOf(), { orgId, limit: 2 });
    expect(page1.data.map((r) => r.targetId)).toEqual(["sub_4", "sub_3"]);
    const page2 = await listAudit(operatorContextOf(), {
      orgId,
      limit: 2,
      cursor: decodeTimeCursor(page1.nextCursor!),
    });
    expect(page2.data.map((r) => r.targetId)).toEqual(["sub_2", "sub_1"]);
    const page3 = await listAudit(operatorContextOf(), {
      orgId,
      limit: 2,
      cursor: decodeTimeCursor(page2.nextCursor!),
    });
    expect(page3.data.map((r) => r.targetId)).toEqual(["sub_0"]);
    expect(page3.nextCursor).toBeNull();
    const { data: search } = await listAudit(operatorContextOf(), { search: "U1@EXAMPLE" });
    expect(search.every((r) => r.actorEmail === "u1@example.com")).toBe(true);
    expect(search).toHaveLength(2);
  });

  it("refuses updates and deletes, even for the owner role", async () => {
    const id = await recordAudit(db(), { actor: { type: "system" }, action: "test.append_only" });
    await expect(
      db()
        .update(auditLog)
        .set({ action: "rewritten" })
        .where(sql`${auditLog.id} = ${id}`),
    ).rejects.toThrow();
    await expect(
      db()
        .delete(auditLog)
        .where(sql`${auditLog.id} = ${id}`),
    ).rejects.toThrow();
    const [row] = await db()
      .select()
      .from(auditLog)
      .where(sql`${auditLog.id} = ${id}`);
    expect(row?.action).toBe("test.append_only");
  });
});

describeEachDatabaseAsApp("audit log under row-level security", () => {
  it("an entry on its own goes into its org's tenant transaction, or as the system role without an org; the cockpit lists both", async () => {
    const orgId = "00000000-0000-4000-8000-0000000000b2";
    const actor = { type: "operator" as const, id: null, email: "ops@beacon.test" };
    await recordAuditAlone({ actor, action: "ops.customer.exported", orgId }, "ops-cockpit");
    await recordAuditAlone({ actor, action: "ops.accounting.exported" }, "ops-cockpit");
    expect(await db().select().from(auditLog)).toEqual([]);
    const own = await withTenant(orgId, (tx) => tx.select().from(auditLog));
    expect(own.map((r) => r.action)).toEqual(["ops.customer.exported"]);
    expect((await listAudit(operatorContextOf())).data.map((r) => r.action).sort()).toEqual([
      "ops.accounting.exported",
      "ops.customer.exported",
    ]);
  });
});
