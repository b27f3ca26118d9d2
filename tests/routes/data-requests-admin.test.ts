// Operators see and retry a customer's failed data requests through the shared customer action
// (`retry-data-request`): permission-gated, org-scoped, audited, the deletion's event sent to the
// fake Inngest Event API after the retry committed.
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as customerAction from "@/app/api/admin/customers/[id]/actions/[action]/route";
import { db } from "@/db/client";
import { serviceContext } from "@/lib/context";
import { auditLog, dataRequests } from "@/db/schema";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { customerDetail } from "@/lib/ops/customers";
import { seedFullOrg } from "@/tests/support/retention-fixtures";
import { describeOnOneDatabase } from "@/tests/db";
import { callRoute, operatorCookies } from "@/tests/route-helpers";

const inngestApi = fakeInngestForFile();

const retry = (orgId: string, cookie: string, body: unknown) =>
  callRoute(customerAction.POST, {
    path: `/api/admin/customers/${orgId}/actions/retry-data-request`,
    method: "POST",
    cookie,
    headers: { origin: "http://localhost:3000" },
    body,
    params: { id: orgId, action: "retry-data-request" },
  });

async function failedRequest(orgId: string, kind: "deletion" | "export") {
  const [row] = await db()
    .insert(dataRequests)
    .values({
      orgId,
      kind,
      status: "failed",
      error: "The organisation still has a live subscription (sub_1: active); cancel billing first.",
      requestedBy: "system",
    })
    .returning();
  return row!;
}

describeOnOneDatabase("retrying data requests from the cockpit API", () => {
  let cookies: Awaited<ReturnType<typeof operatorCookies>>;
  beforeAll(async () => {
    cookies = await operatorCookies();
  });

  it("the customer detail lists the org's requests with status and error", async () => {
    const org = await seedFullOrg("Listed Co");
    const failed = await failedRequest(org.orgId, "deletion");
    const detail = await customerDetail(serviceContext({ kind: "operator", userId: "op-1", email: null }), org.orgId);
    expect(detail.dataRequests).toEqual([
      expect.objectContaining({
        id: failed.id,
        kind: "deletion",
        status: "failed",
        error: expect.stringContaining("cancel billing first"),
      }),
    ]);
  });

  it("a failed deletion goes back to pending, audited with the reason, and data/deletion.requested is sent", async () => {
    const org = await seedFullOrg("Retry Deletion Co");
    const failed = await failedRequest(org.orgId, "deletion");
    const viewer = await retry(org.orgId, cookies.ops_viewer, { request_id: failed.id });
    expect(viewer.status).toBe(403);
    expect(viewer.headers.get("content-type")).toContain("application/problem+json");

    const sentBefore = inngestApi.events.length;
    const response = await retry(org.orgId, cookies.ops_support, {
      request_id: failed.id,
      reason: "billing cancelled by the customer",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      action: "retry-data-request",
      result: { data_request: { id: failed.id, kind: "deletion", status: "pending", error: null } },
    });
    expect(inngestApi.events.slice(sentBefore)).toEqual([
      expect.objectContaining({
        name: "data/deletion.requested",
        // Not the first request's id: Inngest would drop it as a repeat within 24 h.
        id: expect.stringMatching(new RegExp(`^data-deletion-${failed.id}-retry-[0-9a-f-]{36}$`)),
        data: expect.objectContaining({ org_id: org.orgId, request_id: failed.id }),
      }),
    ]);
    expect(
      await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, "data.request.retried"))),
    ).toEqual([
      expect.objectContaining({
        actorType: "operator",
        targetId: failed.id,
        reason: "billing cancelled by the customer",
      }),
    ]);

    // Not failed any more: 409; another org's request: 404; a malformed id: 422. Nothing changes.
    const again = await retry(org.orgId, cookies.ops_admin, { request_id: failed.id });
    expect(again.status).toBe(409);
    const other = await seedFullOrg("Other Retry Co");
    expect((await retry(other.orgId, cookies.ops_admin, { request_id: failed.id })).status).toBe(404);
    expect((await retry(org.orgId, cookies.ops_admin, { request_id: "nope" })).status).toBe(422);
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "data.request.retried"))).toHaveLength(1);
  });

  it("a failed export is rebuilt at once", async () => {
    const org = await seedFullOrg("Retry Export Co");
    const failed = await failedRequest(org.orgId, "export");
    const response = await retry(org.orgId, cookies.ops_admin, { request_id: failed.id });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      result: {
        data_request: {
          id: failed.id,
          status: "completed",
          download_url: `/api/app/data-requests/${failed.id}/download`,
        },
      },
    });
  });
});
