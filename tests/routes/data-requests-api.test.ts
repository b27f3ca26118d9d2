// Owners take and erase their data over HTTP (API.md "Data requests"): through the real handlers,
// session authenticator, database and outbox; Inngest's Event API is the fake server.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as list from "@/app/api/app/data-requests/route";
import * as one from "@/app/api/app/data-requests/[id]/route";
import * as download from "@/app/api/app/data-requests/[id]/download/route";
import { db } from "@/db/client";
import { dataRequests, subscriptions } from "@/db/schema";
import { addMember, makeOrg } from "@/tests/support/factories";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { describeOnOneDatabase } from "@/tests/db";
import { callRoute, sessionCookieFor } from "@/tests/route-helpers";

const inngestApi = fakeInngestForFile();

const same = { origin: "http://localhost:3000" };
const PATH = "/api/app/data-requests";

async function expectProblem(response: Response, status: number, code?: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  const body = await response.json();
  if (code) expect(body.detail).toMatch(code);
  return body;
}

describeOnOneDatabase("data requests HTTP API", () => {
  let orgId = "";
  let owner = "";
  let admin = "";
  let otherOwner = "";

  beforeAll(async () => {
    const org = await makeOrg("free", "Takeout Co");
    orgId = org.orgId;
    owner = await sessionCookieFor(org.owner.userId);
    admin = await sessionCookieFor((await addMember(org.orgId, "admin")).actor.userId);
    otherOwner = await sessionCookieFor((await makeOrg("free", "Other Co")).owner.userId);
  });

  it("POST export → 202 completed with a download URL; GET lists it; the download is the stored bundle as an attachment", async () => {
    const created = await callRoute(list.POST, {
      path: PATH,
      method: "POST",
      cookie: owner,
      headers: same,
      body: { kind: "export" },
    });
    expect(created.status).toBe(202);
    const request = await created.json();
    expect(request).toMatchObject({
      kind: "export",
      status: "completed",
      error: null,
      download_url: `${PATH}/${request.id}/download`,
    });
    expect(Object.keys(request).sort()).toEqual([
      "completed_at",
      "download_url",
      "error",
      "id",
      "kind",
      "requested_at",
      "status",
    ]);
    expect(created.headers.get("location")).toBe(`${PATH}/${request.id}`);

    const listed = await callRoute(list.GET, { path: PATH, cookie: owner, headers: same });
    expect(listed.status).toBe(200);
    expect((await listed.json()).data).toEqual([request]);
    const fetched = await callRoute(one.GET, {
      path: `${PATH}/${request.id}`,
      cookie: owner,
      headers: same,
      id: request.id,
    });
    expect(await fetched.json()).toEqual(request);

    const file = await callRoute(download.GET, {
      path: request.download_url,
      cookie: owner,
      headers: same,
      id: request.id,
    });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(file.headers.get("content-disposition")).toMatch(
      /^attachment; filename="beacon-export-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(file.headers.get("cache-control")).toBe("no-store");
    expect(await file.json()).toMatchObject({ format_version: 1, org_id: orgId, organization: { name: "Takeout Co" } });

    // Another org's owner, an admin and the signed-out all get Problem+JSON, never the file.
    await expectProblem(
      await callRoute(download.GET, { path: request.download_url, cookie: otherOwner, headers: same, id: request.id }),
      404,
    );
    await expectProblem(
      await callRoute(one.GET, { path: `${PATH}/${request.id}`, cookie: otherOwner, headers: same, id: request.id }),
      404,
    );
    await expectProblem(
      await callRoute(download.GET, { path: request.download_url, cookie: admin, headers: same, id: request.id }),
      403,
      /data:manage/,
    );
    await expectProblem(await callRoute(download.GET, { path: request.download_url, id: request.id }), 401);
    await expectProblem(await callRoute(list.GET, { path: PATH, cookie: admin, headers: same }), 403);
  });

  it("a download of an export that is not ready is a 409 Problem+JSON", async () => {
    const [row] = await db().insert(dataRequests).values({ orgId, kind: "export", requestedBy: "system" }).returning();
    await expectProblem(
      await callRoute(download.GET, { path: `${PATH}/${row!.id}/download`, cookie: owner, headers: same, id: row!.id }),
      409,
      /pending/,
    );
    await db().delete(dataRequests).where(eq(dataRequests.id, row!.id));
  });

  it("POST deletion: a wrong name is 422, a live subscription 409, both change nothing; the right name is 202 pending and sends data/deletion.requested", async () => {
    const org = await makeOrg("pro", "Erase Me Inc");
    const cookie = await sessionCookieFor(org.owner.userId);
    const post = (body: unknown, as = cookie) =>
      callRoute(list.POST, { path: PATH, method: "POST", cookie: as, headers: same, body });
    const rows = () => db().select().from(dataRequests).where(eq(dataRequests.orgId, org.orgId));

    const wrong = await expectProblem(await post({ kind: "deletion", confirm_name: "erase me inc" }), 422);
    expect(wrong.errors).toEqual([{ path: "confirm_name", message: "Does not match the organisation's name." }]);
    await expectProblem(await post({ kind: "deletion" }), 422);
    await expectProblem(await post({ kind: "everything" }), 422);
    await db()
      .insert(subscriptions)
      .values({
        orgId: org.orgId,
        stripeSubscriptionId: `sub_${org.orgId.slice(0, 8)}`,
        stripeCustomerId: "cus_x",
        status: "trialing",
        plan: "pro",
      });
    await expectProblem(
      await post({ kind: "deletion", confirm_name: "Erase Me Inc" }),
      409,
      /live subscription .*cancel billing first/,
    );
    expect(await rows()).toEqual([]);

    await db().update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.orgId, org.orgId));
    const sentBefore = inngestApi.events.length;
    const accepted = await post({ kind: "deletion", confirm_name: "Erase Me Inc" });
    expect(accepted.status).toBe(202);
    const request = await accepted.json();
    expect(request).toMatchObject({ kind: "deletion", status: "pending", download_url: null });
    expect(inngestApi.events.slice(sentBefore)).toEqual([
      expect.objectContaining({
        name: "data/deletion.requested",
        id: `data-deletion-${request.id}`,
        data: { org_id: org.orgId, request_id: request.id, requested_by: `user:${org.owner.userId}` },
      }),
    ]);
    // Asking again answers the open request (200), not a second one.
    const again = await post({ kind: "deletion", confirm_name: "Erase Me Inc" });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(request.id);
    expect(await rows()).toHaveLength(1);
    // A deletion has nothing to download.
    await expectProblem(
      await callRoute(download.GET, { path: `${PATH}/${request.id}/download`, cookie, headers: same, id: request.id }),
      404,
    );
  });

  it("non-owners are refused with the reason and nothing is recorded", async () => {
    const viewer = await sessionCookieFor((await addMember(orgId, "viewer")).actor.userId);
    const before = await db().select().from(dataRequests).where(eq(dataRequests.orgId, orgId));
    for (const cookie of [admin, viewer]) {
      await expectProblem(
        await callRoute(list.POST, { path: PATH, method: "POST", cookie, headers: same, body: { kind: "export" } }),
        403,
        /data:manage/,
      );
      await expectProblem(
        await callRoute(list.POST, {
          path: PATH,
          method: "POST",
          cookie,
          headers: same,
          body: { kind: "deletion", confirm_name: "Takeout Co" },
        }),
        403,
      );
    }
    expect(await db().select().from(dataRequests).where(eq(dataRequests.orgId, orgId))).toEqual(before);
  });
});
