import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { pipelineNotes, trackedOpportunities } from "@/db/schema";
import { listAudit } from "@/lib/audit";
import { addMember, insertOpportunity, makeOrg, contextOf, operatorContextOf } from "@/tests/support/factories";
import { validate } from "@/lib/http";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import {
  addNote,
  exportPipelineCsv,
  getPipelineSettings,
  getTracked,
  listTracked,
  pipelineListQuerySchema,
  trackedForNotice,
  trackedNoticeIds,
  trackNotice,
  untrackNotice,
  updatePipelineSettings,
  updateTracked,
} from "./index";

const NOW = new Date("2031-05-01T12:00:00Z");
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

async function notice(title: string, deadlineInDays: number | null, extra: Record<string, unknown> = {}) {
  return insertOpportunity({
    createdAt: at(-10),
    title,
    responseDeadline: deadlineInDays === null ? null : at(deadlineInDays),
    ...extra,
  });
}

describeEachDatabase("pipeline", () => {
  it("a free org is refused with a 403 that names the plan and links to the upgrade; reads too", async () => {
    const { orgId, owner } = await makeOrg("free");
    const noticeId = await notice("Free org notice", 5);
    const error = await appErrorOf(trackNotice(contextOf(orgId, owner, NOW), { notice_id: noticeId }));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/not part of the Free plan.*Starter/);
    expect(error.extra).toMatchObject({ feature: "pipeline", upgrade_url: "/settings/billing" });
    expect((await appErrorOf(listTracked(contextOf(orgId, owner), {}))).status).toBe(403);
    expect((await appErrorOf(getPipelineSettings(contextOf(orgId, owner)))).status).toBe(403);
  });

  it("any member tracks, stages, assigns and notes a notice; the team sees it all, and every write is audited", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const member = await addMember(orgId, "member");
    const noticeId = await notice("Janitorial services, Fort Bragg", 9, { solicitationNumber: "W91-26-Q-0001" });

    const first = await trackNotice(contextOf(orgId, member.actor, NOW), { notice_id: noticeId });
    expect(first.created).toBe(true);
    expect(first.tracked).toMatchObject({
      notice_id: noticeId,
      title: "Janitorial services, Fort Bragg",
      solicitation_number: "W91-26-Q-0001",
      response_deadline: at(9).toISOString(),
      stage: "watching",
      assignee: null,
      created_by: member.actor.userId,
      notes_count: 0,
    });
    // Tracking it again (another member, same org) answers the same entry.
    const again = await trackNotice(contextOf(orgId, owner, NOW), { notice_id: noticeId });
    expect(again).toEqual({ tracked: first.tracked, created: false });

    const id = first.tracked.id;
    const updated = await updateTracked(contextOf(orgId, member.actor, at(1 / 24)), id, {
      stage: "bidding",
      assignee_id: owner.userId,
    });
    expect(updated).toMatchObject({
      stage: "bidding",
      assignee: { user_id: owner.userId },
      updated_at: at(1 / 24).toISOString(),
    });
    const note = await addNote(contextOf(orgId, owner, at(2 / 24)), id, {
      body: "  Site visit Tuesday; bring badges.  ",
    });
    expect(note).toMatchObject({ body: "Site visit Tuesday; bring badges.", author: { user_id: owner.userId } });

    // The owner reads what the member wrote, and the other way round.
    const seen = await getTracked(contextOf(orgId, member.actor), id);
    expect(seen).toMatchObject({ stage: "bidding", notes_count: 1, last_note: "Site visit Tuesday; bring badges." });
    expect(seen.notes.map((n) => n.body)).toEqual(["Site visit Tuesday; bring badges."]);
    expect(await trackedForNotice(contextOf(orgId, owner), noticeId)).toMatchObject({ id, stage: "bidding" });

    const { data: trail } = await listAudit(operatorContextOf(), { orgId });
    expect(trail.map((e) => e.action)).toEqual(["pipeline.note_added", "pipeline.updated", "pipeline.tracked"]);
    expect(trail[1]).toMatchObject({
      actorId: member.actor.userId,
      targetId: id,
      before: { notice_id: noticeId, stage: "watching", assignee_id: null },
      after: { notice_id: noticeId, stage: "bidding", assignee_id: owner.userId },
    });

    // An update that changes nothing writes nothing.
    await updateTracked(contextOf(orgId, owner, at(3 / 24)), id, { stage: "bidding" });
    expect((await listAudit(operatorContextOf(), { orgId })).data).toHaveLength(3);

    await untrackNotice(contextOf(orgId, owner, at(4 / 24)), id);
    expect(await trackedForNotice(contextOf(orgId, owner), noticeId)).toBeNull();
    expect(await db().select().from(pipelineNotes).where(eq(pipelineNotes.trackedId, id))).toEqual([]);
    expect((await listAudit(operatorContextOf(), { orgId })).data[0]).toMatchObject({
      action: "pipeline.untracked",
      before: { notice_id: noticeId, stage: "bidding", assignee_id: owner.userId },
    });
  });

  it("refuses an assignee outside the org, a viewer's writes, unknown notices, and another org's entries (404)", async () => {
    const a = await makeOrg("pro", "A Co");
    const b = await makeOrg("pro", "B Co");
    const viewer = await addMember(a.orgId, "viewer");
    const noticeId = await notice("Shared notice", 5);
    const { tracked } = await trackNotice(contextOf(a.orgId, a.owner, NOW), { notice_id: noticeId });
    const { tracked: bTracked } = await trackNotice(contextOf(b.orgId, b.owner, NOW), { notice_id: noticeId });

    // A page of results learns which of its notices this org tracks (a viewer too), never another org's.
    const onlyB = await notice("Tracked by B only", 5);
    await trackNotice(contextOf(b.orgId, b.owner, NOW), { notice_id: onlyB });
    expect(await trackedNoticeIds(contextOf(a.orgId, viewer.actor), [noticeId, onlyB, "no-such-notice"])).toEqual(
      new Set([noticeId]),
    );

    const outsider = await appErrorOf(
      updateTracked(contextOf(a.orgId, a.owner), tracked.id, { assignee_id: b.owner.userId }),
    );
    expect(outsider.status).toBe(422);
    expect(outsider.extra.errors).toEqual([{ path: "assignee_id", message: "Choose a member of this organisation." }]);

    expect((await appErrorOf(trackNotice(contextOf(a.orgId, viewer.actor), { notice_id: noticeId }))).status).toBe(403);
    expect((await appErrorOf(addNote(contextOf(a.orgId, viewer.actor), tracked.id, { body: "hi" }))).status).toBe(403);
    expect(await getTracked(contextOf(a.orgId, viewer.actor), tracked.id)).toMatchObject({ id: tracked.id });

    expect((await appErrorOf(trackNotice(contextOf(a.orgId, a.owner), { notice_id: "no-such-notice" }))).status).toBe(
      404,
    );
    for (const attempt of [
      () => getTracked(contextOf(a.orgId, a.owner), bTracked.id),
      () => updateTracked(contextOf(a.orgId, a.owner), bTracked.id, { stage: "won" }),
      () => addNote(contextOf(a.orgId, a.owner), bTracked.id, { body: "mine now" }),
      () => untrackNotice(contextOf(a.orgId, a.owner), bTracked.id),
      () => getTracked(contextOf(a.orgId, a.owner), "not-a-uuid"),
    ])
      expect((await appErrorOf(attempt())).status).toBe(404);
    const [untouched] = await db()
      .select()
      .from(trackedOpportunities)
      .where(and(eq(trackedOpportunities.orgId, b.orgId), eq(trackedOpportunities.id, bTracked.id)));
    expect(untouched).toMatchObject({ stage: "watching" });

    expect((await appErrorOf(addNote(contextOf(a.orgId, a.owner), tracked.id, { body: "   " }))).status).toBe(422);
    expect((await appErrorOf(updateTracked(contextOf(a.orgId, a.owner), tracked.id, {}))).status).toBe(422);
  });

  it("lists with stage, assignee, deadline-window and text filters, in keyset pages that never repeat or skip", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const member = await addMember(orgId, "member");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const noticeId = await notice(i === 3 ? "Cyber security assessment" : `Facility upkeep ${i}`, i * 10);
      // Two share a millisecond: the id decides their order.
      const when = i === 5 ? at(0.4) : at(i / 10);
      ids.push((await trackNotice(contextOf(orgId, owner, when), { notice_id: noticeId })).tracked.id);
    }
    await updateTracked(contextOf(orgId, owner), ids[1]!, { stage: "bidding", assignee_id: member.actor.userId });
    await updateTracked(contextOf(orgId, owner), ids[2]!, { stage: "submitted", assignee_id: member.actor.userId });
    const query = (raw: Record<string, string | string[]>) =>
      listTracked(contextOf(orgId, owner), validate(pipelineListQuerySchema, raw));
    const noticeIds = (page: { data: { id: string }[] }) => page.data.map((r) => ids.indexOf(r.id));

    expect(noticeIds(await query({ stage: "bidding" }))).toEqual([1]);
    expect(noticeIds(await query({ stage: ["bidding", "submitted"] })).sort()).toEqual([1, 2]);
    expect(noticeIds(await query({ assignee: member.actor.userId })).sort()).toEqual([1, 2]);
    expect(noticeIds(await query({ assignee: "unassigned" })).sort()).toEqual([0, 3, 4, 5, 6]);
    expect(noticeIds(await query({ q: "cyber" }))).toEqual([3]);
    // Deadlines are NOW + 0, 10, 20, … days; a bare end date covers that whole day.
    expect(
      noticeIds(
        await query({ deadline_from: at(5).toISOString(), deadline_to: at(30).toISOString().slice(0, 10) }),
      ).sort(),
    ).toEqual([1, 2, 3]);

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await query({ limit: "2", ...(cursor ? { cursor } : {}) });
      seen.push(...noticeIds(page));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen[0]).toBe(6);
  });

  it("exports the filtered list as CSV with formulas neutralised", async () => {
    const { orgId, owner } = await makeOrg("pro");
    const evil = await notice('=HYPERLINK("http://evil.test","click")', 4);
    const plain = await notice("Roof repair, building 7", 8);
    const { tracked } = await trackNotice(contextOf(orgId, owner, NOW), { notice_id: evil });
    await addNote(contextOf(orgId, owner, NOW), tracked.id, { body: "@SUM(A1:A9) and a, comma" });
    await trackNotice(contextOf(orgId, owner, at(0.1)), { notice_id: plain, stage: "no_bid" });

    const all = await exportPipelineCsv(contextOf(orgId, owner, NOW), {});
    expect(all.filename).toBe("pipeline-2031-05-01.csv");
    expect(all.csv.startsWith("\ufeffnotice_id,title,")).toBe(true);
    const rows = parse(all.csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.notice_id, r.stage])).toEqual([
      [plain, "No bid"],
      [evil, "Watching"],
    ]);
    expect(rows[1]).toMatchObject({
      title: `'=HYPERLINK("http://evil.test","click")`,
      last_note: "'@SUM(A1:A9) and a, comma",
      notes: "1",
      response_deadline: at(4).toISOString(),
    });

    const filtered = await exportPipelineCsv(contextOf(orgId, owner, NOW), { stage: "no_bid" });
    expect((parse(filtered.csv, { bom: true, columns: true }) as unknown[]).length).toBe(1);
  });

  it("reminder lead time: 3 days by default, owners and admins change it (0 = off), members cannot", async () => {
    const { orgId, owner } = await makeOrg("starter");
    const member = await addMember(orgId, "member");
    expect(await getPipelineSettings(contextOf(orgId, member.actor))).toEqual({ reminder_days: 3 });
    expect(
      (await appErrorOf(updatePipelineSettings(contextOf(orgId, member.actor), { reminder_days: 5 }))).status,
    ).toBe(403);
    expect(await updatePipelineSettings(contextOf(orgId, owner, NOW), { reminder_days: 0 })).toEqual({
      reminder_days: 0,
    });
    expect(await updatePipelineSettings(contextOf(orgId, owner, at(1)), { reminder_days: 7 })).toEqual({
      reminder_days: 7,
    });
    expect(await getPipelineSettings(contextOf(orgId, member.actor))).toEqual({ reminder_days: 7 });
    for (const bad of [-1, 61, 2.5])
      expect((await appErrorOf(updatePipelineSettings(contextOf(orgId, owner), { reminder_days: bad }))).status).toBe(
        422,
      );
    const { data } = await listAudit(operatorContextOf(), { orgId, action: "pipeline.settings" });
    expect(data.map((e) => [e.before, e.after])).toEqual([
      [{ reminder_days: 0 }, { reminder_days: 7 }],
      [{ reminder_days: 3 }, { reminder_days: 0 }],
    ]);
  });
});
