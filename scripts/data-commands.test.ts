// `data:export` / `data:delete` in-process through runCommand (what `npm run cli` prints).
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { auditLog, dataRequests, organizations, subscriptions } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { deletedOrgName } from "@/lib/retention";
import { seedFullOrg } from "@/tests/support/retention-fixtures";
import { describeEachDatabase } from "@/tests/db";
import { runCommand } from "./cli-commands";

describeEachDatabase("cli data:export and data:delete", ({ handle }) => {
  const run = (command: string, flags: Record<string, string | undefined>) =>
    runCommand(command, flags, { database: handle, migrateDatabase, seedDatabase });

  it("data:export records and builds the export and prints the request as one JSON-ready object", async () => {
    const org = await seedFullOrg("CLI Export Co");
    const printed = await run("data:export", { org: org.orgId });
    expect(printed).toMatchObject({
      kind: "export",
      status: "completed",
      created: true,
      download_url: expect.stringMatching(/^\/api\/app\/data-requests\/[0-9a-f-]{36}\/download$/),
    });
    expect(JSON.parse(JSON.stringify(printed))).toEqual(printed);
    const [row] = await db()
      .select()
      .from(dataRequests)
      .where(eq(dataRequests.id, String(printed.id)));
    expect(row).toMatchObject({
      requestedBy: "system",
      status: "completed",
      result: expect.objectContaining({ org_id: org.orgId }),
    });
    await expect(run("data:export", {})).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining("--org"),
    });
    await expect(run("data:export", { org: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("data:delete needs the exact name and no live subscription, then anonymises the org at once", async () => {
    const org = await seedFullOrg("CLI Delete Co");
    await expect(run("data:delete", { org: org.orgId })).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining("--confirm-name"),
    });
    await expect(run("data:delete", { org: org.orgId, "confirm-name": "nope" })).rejects.toMatchObject({
      code: "validation_failed",
    });
    await db().update(subscriptions).set({ status: "active" }).where(eq(subscriptions.orgId, org.orgId));
    await expect(run("data:delete", { org: org.orgId, "confirm-name": org.name })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("cancel billing first"),
    });
    expect(await db().select().from(dataRequests).where(eq(dataRequests.orgId, org.orgId))).toEqual([]);

    await db().update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.orgId, org.orgId));
    const printed = await run("data:delete", { org: org.orgId, "confirm-name": org.name });
    expect(printed).toMatchObject({
      kind: "deletion",
      status: "completed",
      created: true,
      result: { counts: expect.objectContaining({ users_anonymised: 2 }) },
    });
    const [renamed] = await db().select().from(organizations).where(eq(organizations.id, org.orgId));
    expect(renamed!.name).toBe(deletedOrgName(org.orgId));
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "data.deletion.completed"))).toEqual([
      expect.objectContaining({ orgId: org.orgId, actorType: "system" }),
    ]);
  });
});
