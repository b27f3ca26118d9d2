// The bid pipeline over HTTP (README "Pipeline"): through the real handlers, the session
// authenticator, both databases and the real CSV and ICS writers.
import { parse } from "csv-parse/sync";
import { beforeAll, expect, it } from "vitest";
import * as list from "@/app/api/app/pipeline/route";
import * as one from "@/app/api/app/pipeline/[id]/route";
import * as notes from "@/app/api/app/pipeline/[id]/notes/route";
import * as csvExport from "@/app/api/app/pipeline/export/route";
import * as settings from "@/app/api/app/pipeline/settings/route";
import * as feedAdmin from "@/app/api/app/calendar-feed/route";
import * as feed from "@/app/api/calendar/[feed]/route";
import * as notRelevant from "@/app/api/app/opportunities/[noticeId]/not-relevant/route";
import * as notRelevantList from "@/app/api/app/opportunities/not-relevant/route";
import { addMember, insertOpportunity, makeOrg } from "@/tests/support/factories";
import { describeOnOneDatabase } from "@/tests/db";
import { callRoute, sessionCookieFor } from "@/tests/route-helpers";

const same = { origin: "http://localhost:3000" };
const PATH = "/api/app/pipeline";

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  return (await response.json()) as Record<string, unknown>;
}

describeOnOneDatabase("pipeline HTTP API", () => {
  let owner = "";
  let member = "";
  let memberId = "";
  let viewer = "";
  let freeOwner = "";
  let otherOwner = "";
  let noticeId = "";

  beforeAll(async () => {
    const org = await makeOrg("starter", "Pipeline Co");
    owner = await sessionCookieFor(org.owner.userId);
    const m = await addMember(org.orgId, "member");
    memberId = m.actor.userId;
    member = await sessionCookieFor(memberId);
    viewer = await sessionCookieFor((await addMember(org.orgId, "viewer")).actor.userId);
    freeOwner = await sessionCookieFor((await makeOrg("free", "Free Co")).owner.userId);
    otherOwner = await sessionCookieFor((await makeOrg("pro", "Other Co")).owner.userId);
    noticeId = await insertOpportunity({
      createdAt: new Date(),
      title: "Dredging, Port of Wilmington",
      responseDeadline: new Date(Date.now() + 10 * 86_400_000),
    });
  });

  // Marking a notice not relevant is the other per-org action on a notice; it shares this file's
  // members and notice rather than building a database of its own.
  it("not relevant: a member marks and unmarks a notice; viewers get 403; unknown notices 404", async () => {
    const path = `/api/app/opportunities/${noticeId}/not-relevant`;
    const call = (handler: typeof notRelevant.POST, method: string, cookie: string, id = noticeId) =>
      callRoute(handler, { path, method, cookie, headers: same, params: { noticeId: id } });
    const created = await call(notRelevant.POST, "POST", member);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ notice_id: noticeId, marked_by: memberId });
    expect((await call(notRelevant.POST, "POST", owner)).status).toBe(200);
    await expectProblem(await call(notRelevant.POST, "POST", viewer), 403);
    // Every role lists what the org marked; another org's list does not show it.
    const listed = (cookie: string) =>
      callRoute(notRelevantList.GET, { path: "/api/app/opportunities/not-relevant", cookie, headers: same });
    const marks = await listed(viewer);
    expect(marks.status).toBe(200);
    expect((await marks.json()).data).toEqual([
      expect.objectContaining({ notice_id: noticeId, title: "Dredging, Port of Wilmington", marked_by: memberId }),
    ]);
    expect((await (await listed(otherOwner)).json()).data).toEqual([]);
    await expectProblem(await call(notRelevant.POST, "POST", member, "no-such-notice"), 404);
    // Another org has not marked it.
    await expectProblem(await call(notRelevant.DELETE, "DELETE", otherOwner), 404);
    expect((await call(notRelevant.DELETE, "DELETE", member)).status).toBe(204);
    await expectProblem(await call(notRelevant.DELETE, "DELETE", member), 404);
  });

  it("a member tracks, assigns, stages and notes a notice; the list, the detail, the CSV and the ICS feed show it", async () => {
    const created = await callRoute(list.POST, {
      path: PATH,
      method: "POST",
      cookie: member,
      headers: same,
      body: { notice_id: noticeId },
    });
    expect(created.status).toBe(201);
    const tracked = await created.json();
    expect(tracked).toMatchObject({ notice_id: noticeId, stage: "watching", title: "Dredging, Port of Wilmington" });
    expect(created.headers.get("location")).toBe(`${PATH}/${tracked.id}`);
    const again = await callRoute(list.POST, {
      path: PATH,
      method: "POST",
      cookie: owner,
      headers: same,
      body: { notice_id: noticeId },
    });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(tracked.id);

    const patched = await callRoute(one.PATCH, {
      path: `${PATH}/${tracked.id}`,
      method: "PATCH",
      id: tracked.id,
      cookie: owner,
      headers: same,
      body: { stage: "bidding", assignee_id: memberId },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ stage: "bidding", assignee: { user_id: memberId } });

    const noted = await callRoute(notes.POST, {
      path: `${PATH}/${tracked.id}/notes`,
      method: "POST",
      id: tracked.id,
      cookie: member,
      headers: same,
      body: { body: "Pre-bid call Thursday" },
    });
    expect(noted.status).toBe(201);

    const detail = await callRoute(one.GET, { path: `${PATH}/${tracked.id}`, id: tracked.id, cookie: viewer });
    expect(await detail.json()).toMatchObject({
      stage: "bidding",
      notes: [expect.objectContaining({ body: "Pre-bid call Thursday" })],
    });
    const listed = await callRoute(list.GET, { path: `${PATH}?stage=bidding&assignee=${memberId}`, cookie: viewer });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ data: [{ id: tracked.id, notes_count: 1 }], next_cursor: null });

    const csv = await callRoute(csvExport.GET, { path: `${PATH}/export?stage=bidding`, cookie: viewer });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="pipeline-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parse(await csv.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({ notice_id: noticeId, stage: "Bidding", last_note: "Pre-bid call Thursday" }),
    ]);

    const madeFeed = await callRoute(feedAdmin.POST, {
      path: "/api/app/calendar-feed",
      method: "POST",
      cookie: member,
      headers: same,
    });
    expect(madeFeed.status).toBe(201);
    const { url } = (await madeFeed.json()) as { url: string };
    const feedName = new URL(url).pathname.split("/").pop()!;
    const ics = await callRoute(feed.GET, { path: `/api/calendar/${feedName}`, params: { feed: feedName } });
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const text = await ics.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain(`UID:${tracked.id}@beacon\r\n`);
    expect(text).toContain("SUMMARY:Response due: Dredging\\, Port of Wilmington\r\n");

    const revoked = await callRoute(feedAdmin.DELETE, {
      path: "/api/app/calendar-feed",
      method: "DELETE",
      cookie: member,
      headers: same,
    });
    expect(revoked.status).toBe(204);
    const gone = await callRoute(feed.GET, { path: `/api/calendar/${feedName}`, params: { feed: feedName } });
    expect((await expectProblem(gone, 404)).detail).toMatch(/revoked/);

    const removed = await callRoute(one.DELETE, {
      path: `${PATH}/${tracked.id}`,
      method: "DELETE",
      id: tracked.id,
      cookie: owner,
      headers: same,
    });
    expect(removed.status).toBe(204);
  });

  it("a free org gets a 403 problem with the upgrade link, never an error page", async () => {
    for (const response of [
      await callRoute(list.GET, { path: PATH, cookie: freeOwner }),
      await callRoute(list.POST, {
        path: PATH,
        method: "POST",
        cookie: freeOwner,
        headers: same,
        body: { notice_id: noticeId },
      }),
      await callRoute(csvExport.GET, { path: `${PATH}/export`, cookie: freeOwner }),
      await callRoute(feedAdmin.POST, {
        path: "/api/app/calendar-feed",
        method: "POST",
        cookie: freeOwner,
        headers: same,
      }),
    ]) {
      const problem = await expectProblem(response, 403);
      expect(problem).toMatchObject({ code: "forbidden", feature: "pipeline", upgrade_url: "/settings/billing" });
      expect(problem.detail).toMatch(/Upgrade to Starter/);
    }
  });

  it("bad input is a Problem+JSON 4xx; another org's entry is 404; viewers cannot write; signed-out is 401", async () => {
    const { id } = await (
      await callRoute(list.POST, {
        path: PATH,
        method: "POST",
        cookie: owner,
        headers: same,
        body: { notice_id: noticeId },
      })
    ).json();
    await expectProblem(
      await callRoute(list.POST, { path: PATH, method: "POST", cookie: owner, headers: same, body: {} }),
      422,
    );
    await expectProblem(
      await callRoute(list.POST, {
        path: PATH,
        method: "POST",
        cookie: owner,
        headers: same,
        body: { notice_id: "nope" },
      }),
      404,
    );
    await expectProblem(
      await callRoute(list.POST, {
        path: PATH,
        method: "POST",
        cookie: owner,
        raw: "{",
        headers: { ...same, "content-type": "application/json" },
      }),
      400,
    );
    const badStage = await expectProblem(
      await callRoute(one.PATCH, {
        path: `${PATH}/${id}`,
        method: "PATCH",
        id,
        cookie: owner,
        headers: same,
        body: { stage: "maybe" },
      }),
      422,
    );
    expect(badStage.errors).toEqual([expect.objectContaining({ path: "stage" })]);
    await expectProblem(await callRoute(list.GET, { path: `${PATH}?deadline_from=soon`, cookie: owner }), 422);
    await expectProblem(await callRoute(list.GET, { path: `${PATH}?cursor=garbage`, cookie: owner }), 422);
    await expectProblem(
      await callRoute(settings.PUT, {
        path: `${PATH}/settings`,
        method: "PUT",
        cookie: owner,
        headers: same,
        body: { reminder_days: -2 },
      }),
      422,
    );
    const put = await callRoute(settings.PUT, {
      path: `${PATH}/settings`,
      method: "PUT",
      cookie: owner,
      headers: same,
      body: { reminder_days: 5 },
    });
    expect(await put.json()).toEqual({ reminder_days: 5 });
    expect(await (await callRoute(settings.GET, { path: `${PATH}/settings`, cookie: viewer })).json()).toEqual({
      reminder_days: 5,
    });

    await expectProblem(await callRoute(one.GET, { path: `${PATH}/${id}`, id, cookie: otherOwner }), 404);
    await expectProblem(
      await callRoute(one.PATCH, {
        path: `${PATH}/${id}`,
        id,
        method: "PATCH",
        cookie: otherOwner,
        headers: same,
        body: { stage: "won" },
      }),
      404,
    );
    await expectProblem(
      await callRoute(notes.POST, {
        path: `${PATH}/${id}/notes`,
        id,
        method: "POST",
        cookie: viewer,
        headers: same,
        body: { body: "x" },
      }),
      403,
    );
    await expectProblem(await callRoute(list.GET, { path: PATH }), 401);
    await expectProblem(
      await callRoute(list.POST, {
        path: PATH,
        method: "POST",
        cookie: owner,
        headers: { origin: "https://evil.test" },
        body: { notice_id: noticeId },
      }),
      403,
    );
    await expectProblem(
      await callRoute(feed.GET, { path: "/api/calendar/whatever", params: { feed: "whatever" } }),
      404,
    );
  });
});
