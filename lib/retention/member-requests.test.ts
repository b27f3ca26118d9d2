import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { dataRequests, emailMessages, memberships, outboxEvents, subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/context";
import { describeEachDatabase } from "@/tests/db";
import { contextOf } from "@/tests/support/factories";
import {
  getOwnDataRequest,
  listOwnDataRequests,
  ownExportBundle,
  requestOwnDeletion,
  requestOwnExport,
} from "./member-requests";
import { requestDataExport } from "./data-requests";
import { makePerson, seedFullOrg } from "@/tests/support/retention-fixtures";

const requestsOf = async (orgId: string) => db().select().from(dataRequests).where(eq(dataRequests.orgId, orgId));

describeEachDatabase("owners' data requests", () => {
  it("only owners may list, request or download; admins and the rest are told why", async () => {
    const org = await seedFullOrg("Roles Co");
    const admin = await makePerson("admin");
    await db().insert(memberships).values({ orgId: org.orgId, userId: admin.id, role: "admin" });
    for (const actor of [
      { userId: admin.id, role: "admin" as const },
      { userId: org.member.id, role: "member" as const },
    ]) {
      await expect(listOwnDataRequests(contextOf(org.orgId, actor))).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringContaining("data:manage"),
      });
      await expect(requestOwnExport(contextOf(org.orgId, actor))).rejects.toMatchObject({ code: "forbidden" });
      await expect(requestOwnDeletion(contextOf(org.orgId, actor), org.name)).rejects.toMatchObject({
        code: "forbidden",
      });
    }
    expect(await requestsOf(org.orgId)).toHaveLength(0);
  });

  it("an export is built at once, e-mails the owner who asked a link to the Data page (no token), and downloads as the stored JSON", async () => {
    const org = await seedFullOrg("Export Co");
    const owner = { userId: org.owner.id, role: "owner" as const };
    const { request, created } = await requestOwnExport(contextOf(org.orgId, owner));
    expect(created).toBe(true);
    expect(request).toMatchObject({
      kind: "export",
      status: "completed",
      download_url: `/api/app/data-requests/${request.id}/download`,
    });
    expect(await listOwnDataRequests(contextOf(org.orgId, owner))).toEqual([request]);

    const mails = await db()
      .select()
      .from(outboxEvents)
      .where(
        and(
          eq(outboxEvents.orgId, org.orgId),
          eq(outboxEvents.dedupeKey, `data-export-ready:${request.id}:${org.owner.id}`),
        ),
      );
    expect(mails).toHaveLength(1);
    const payload = mails[0]!.payload as { to: string; text: string; kind: string };
    expect(payload).toMatchObject({ kind: "data_export_ready", to: org.owner.email });
    expect(payload.text).toContain("/settings/data");
    expect(payload.text).not.toContain("/api/app/data-requests");
    // Delivered through the outbox like every other e-mail.
    expect(
      await db()
        .select()
        .from(emailMessages)
        .where(and(eq(emailMessages.orgId, org.orgId), eq(emailMessages.kind, "data_export_ready"))),
    ).toHaveLength(1);

    const download = await ownExportBundle(contextOf(org.orgId, owner), request.id);
    expect(download.filename).toMatch(/^beacon-export-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json$/);
    const bundle = JSON.parse(download.json);
    expect(bundle).toMatchObject({ org_id: org.orgId, organization: { name: org.name } });
    expect(download.json).not.toContain(org.secrets.keyHash);

    const other = await seedFullOrg("Other Export Co");
    const otherOwner = { userId: other.owner.id, role: "owner" as const };
    await expect(ownExportBundle(contextOf(other.orgId, otherOwner), request.id)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(getOwnDataRequest(contextOf(other.orgId, otherOwner), request.id)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(getOwnDataRequest(contextOf(org.orgId, owner), "not-a-uuid")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("an export not built yet cannot be downloaded", async () => {
    const org = await seedFullOrg("Pending Export Co");
    const { request } = await requestDataExport(contextOf(org.orgId, systemActor("retention")));
    await expect(
      ownExportBundle(contextOf(org.orgId, { userId: org.owner.id, role: "owner" }), request.id),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("pending") });
    // No e-mail before the bundle exists.
    expect(
      await db()
        .select()
        .from(outboxEvents)
        .where(eq(outboxEvents.dedupeKey, `data-export-ready:${request.id}:${org.owner.id}`)),
    ).toHaveLength(0);
  });

  it("a deletion needs the exact org name and no live subscription; refused requests change nothing", async () => {
    const org = await seedFullOrg("Erase Co");
    const owner = { userId: org.owner.id, role: "owner" as const };
    await expect(requestOwnDeletion(contextOf(org.orgId, owner), "erase co")).rejects.toMatchObject({
      code: "validation_failed",
      extra: { errors: [{ path: "confirm_name" }] },
    });
    await db().update(subscriptions).set({ status: "active" }).where(eq(subscriptions.orgId, org.orgId));
    await expect(requestOwnDeletion(contextOf(org.orgId, owner), org.name)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("cancel billing first"),
    });
    expect(await requestsOf(org.orgId)).toHaveLength(0);

    await db().update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.orgId, org.orgId));
    const { request, created, events } = await requestOwnDeletion(contextOf(org.orgId, owner), org.name);
    expect(created).toBe(true);
    expect(request).toMatchObject({ kind: "deletion", status: "pending", download_url: null });
    expect(events).toEqual([
      {
        name: "data/deletion.requested",
        id: `data-deletion-${request.id}`,
        data: { org_id: org.orgId, request_id: request.id, requested_by: `user:${org.owner.id}` },
      },
    ]);
  });
});
