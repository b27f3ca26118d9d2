import { and, asc, eq, gte, ilike, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import { newestFirst, olderThan } from "@/db/keyset";
import { memberships, opportunities, pipelineNotes, pipelineSettings, trackedOpportunities, users } from "@/db/schema";
import { isUuid } from "@/db/tenant";
import { recordAudit } from "@/lib/audit";
import type { MemberActor, OrgContext } from "@/lib/context";
import { AppError, nextTimeCursor, validate, type TimeCursor } from "@/lib/http";
import { assertCan } from "@/lib/orgs";
import { assertPipelineIncluded } from "./access";
import {
  addNoteSchema,
  DEFAULT_REMINDER_DAYS,
  pipelineSettingsSchema,
  trackSchema,
  updateTrackedSchema,
  type AddNoteInput,
  type PipelineFilter,
  type PipelineSettingsInput,
  type PipelineStage,
  type TrackInput,
  type UpdateTrackedInput,
} from "./schemas";

/** The public shape of a tracked notice (README "Pipeline"). */
export interface ApiTrackedOpportunity {
  id: string;
  notice_id: string;
  /** Null when the notice is no longer in Beacon's data (retention removed it). */
  title: string | null;
  agency: string | null;
  solicitation_number: string | null;
  response_deadline: string | null;
  sam_url: string | null;
  stage: PipelineStage;
  assignee: { user_id: string; name: string | null; email: string } | null;
  created_by: string | null;
  notes_count: number;
  last_note: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApiPipelineNote {
  id: string;
  author: { user_id: string; name: string | null; email: string } | null;
  body: string;
  created_at: string;
}

export interface PipelinePage {
  data: ApiTrackedOpportunity[];
  next_cursor: string | null;
}

export interface PipelineSettings {
  reminder_days: number;
}

/**
 * The context the pipeline is worked in: an org and a signed-in member, held to their role. Only
 * members reach it (the session endpoints and pages); entries, notes and audit rows name one.
 */
export type PipelineContext = OrgContext<MemberActor>;

const notFound = () => new AppError("not_found", "No such tracked notice.");
const assigneeUser = alias(users, "assignee");
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function auditActor(actor: MemberActor) {
  return { type: "user" as const, id: actor.userId };
}

function selectTracked(tx: Tx) {
  return tx
    .select({
      id: trackedOpportunities.id,
      noticeId: trackedOpportunities.noticeId,
      stage: trackedOpportunities.stage,
      assigneeId: trackedOpportunities.assigneeId,
      assigneeName: assigneeUser.name,
      assigneeEmail: assigneeUser.email,
      createdBy: trackedOpportunities.createdBy,
      createdAt: trackedOpportunities.createdAt,
      updatedAt: trackedOpportunities.updatedAt,
      title: opportunities.title,
      agency: opportunities.agencyPath,
      solicitationNumber: opportunities.solicitationNumber,
      responseDeadline: opportunities.responseDeadline,
      samUrl: opportunities.uiLink,
      notesCount: sql<number>`(select count(*)::int from ${pipelineNotes} where ${pipelineNotes.trackedId} = ${trackedOpportunities.id})`,
      lastNote: sql<
        string | null
      >`(select ${pipelineNotes.body} from ${pipelineNotes} where ${pipelineNotes.trackedId} = ${trackedOpportunities.id} order by ${pipelineNotes.createdAt} desc, ${pipelineNotes.id} desc limit 1)`,
    })
    .from(trackedOpportunities)
    .leftJoin(opportunities, eq(opportunities.noticeId, trackedOpportunities.noticeId))
    .leftJoin(assigneeUser, eq(assigneeUser.id, trackedOpportunities.assigneeId));
}

type TrackedRow = Awaited<ReturnType<ReturnType<typeof selectTracked>["execute"]>>[number];

function toApi(row: TrackedRow): ApiTrackedOpportunity {
  return {
    id: row.id,
    notice_id: row.noticeId,
    title: row.title,
    agency: row.agency,
    solicitation_number: row.solicitationNumber,
    response_deadline: iso(row.responseDeadline),
    sam_url: row.samUrl,
    stage: row.stage,
    assignee:
      row.assigneeId && row.assigneeEmail
        ? { user_id: row.assigneeId, name: row.assigneeName, email: row.assigneeEmail }
        : null,
    created_by: row.createdBy,
    notes_count: Number(row.notesCount),
    last_note: row.lastNote,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

async function loadTracked(tx: Tx, orgId: string, id: string): Promise<ApiTrackedOpportunity> {
  const [row] = await selectTracked(tx).where(
    and(eq(trackedOpportunities.orgId, orgId), eq(trackedOpportunities.id, id)),
  );
  if (!row) throw notFound();
  return toApi(row);
}

/** Every tenant entry point starts here: the role allows it, the plan includes it (the context checked the org id). */
function inPipeline<T>(
  ctx: PipelineContext,
  action: "pipeline:read" | "pipeline:manage",
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  assertCan(ctx.actor, action);
  return ctx.transaction(async (tx) => {
    await assertPipelineIncluded(tx, ctx.orgId);
    return fn(tx);
  });
}

/**
 * Tracks a notice for the org (stage `watching` unless given). Tracking one already tracked
 * answers the existing entry with `created: false`: the unique (org, notice) index decides.
 */
export async function trackNotice(
  ctx: PipelineContext,
  request: TrackInput,
): Promise<{ tracked: ApiTrackedOpportunity; created: boolean }> {
  const { orgId, actor } = ctx;
  const input = validate(trackSchema, request);
  const now = ctx.now();
  return inPipeline(ctx, "pipeline:manage", async (tx) => {
    const [notice] = await tx
      .select({ noticeId: opportunities.noticeId })
      .from(opportunities)
      .where(eq(opportunities.noticeId, input.notice_id));
    if (!notice) throw new AppError("not_found", "No such notice.");
    const [inserted] = await tx
      .insert(trackedOpportunities)
      .values({
        orgId,
        noticeId: notice.noticeId,
        stage: input.stage ?? "watching",
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: trackedOpportunities.id, stage: trackedOpportunities.stage });
    if (inserted) {
      await recordAudit(tx, {
        actor: auditActor(actor),
        action: "pipeline.tracked",
        orgId,
        target: { type: "tracked_opportunity", id: inserted.id },
        after: { notice_id: notice.noticeId, stage: inserted.stage },
        at: now,
      });
      return { tracked: await loadTracked(tx, orgId, inserted.id), created: true };
    }
    const [existing] = await tx
      .select({ id: trackedOpportunities.id })
      .from(trackedOpportunities)
      .where(and(eq(trackedOpportunities.orgId, orgId), eq(trackedOpportunities.noticeId, notice.noticeId)));
    return { tracked: await loadTracked(tx, orgId, existing!.id), created: false };
  });
}

async function lockTracked(tx: Tx, orgId: string, id: string) {
  if (!isUuid(id)) throw notFound();
  const [row] = await tx
    .select()
    .from(trackedOpportunities)
    .where(and(eq(trackedOpportunities.orgId, orgId), eq(trackedOpportunities.id, id)))
    .for("update");
  if (!row) throw notFound();
  return row;
}

/** Stops tracking (its notes go with it; the audit trail keeps what happened). */
export async function untrackNotice(ctx: PipelineContext, id: string): Promise<void> {
  const { orgId, actor } = ctx;
  const now = ctx.now();
  await inPipeline(ctx, "pipeline:manage", async (tx) => {
    const row = await lockTracked(tx, orgId, id);
    await tx.delete(trackedOpportunities).where(eq(trackedOpportunities.id, row.id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "pipeline.untracked",
      orgId,
      target: { type: "tracked_opportunity", id: row.id },
      before: { notice_id: row.noticeId, stage: row.stage, assignee_id: row.assigneeId },
      at: now,
    });
  });
}

/** Changes the stage and/or the assignee, who must be a member of the org. */
export async function updateTracked(
  ctx: PipelineContext,
  id: string,
  request: UpdateTrackedInput,
): Promise<ApiTrackedOpportunity> {
  const { orgId, actor } = ctx;
  const input = validate(updateTrackedSchema, request);
  const now = ctx.now();
  return inPipeline(ctx, "pipeline:manage", async (tx) => {
    const row = await lockTracked(tx, orgId, id);
    if (input.assignee_id) {
      const [member] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, input.assignee_id)));
      if (!member)
        throw new AppError("validation_failed", "The assignee must be a member of this organisation.", {
          errors: [{ path: "assignee_id", message: "Choose a member of this organisation." }],
        });
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const set: Partial<typeof trackedOpportunities.$inferInsert> = {};
    if (input.stage !== undefined && input.stage !== row.stage) {
      before.stage = row.stage;
      after.stage = set.stage = input.stage;
    }
    if (input.assignee_id !== undefined && input.assignee_id !== row.assigneeId) {
      before.assignee_id = row.assigneeId;
      after.assignee_id = set.assigneeId = input.assignee_id;
    }
    if (Object.keys(set).length > 0) {
      await tx
        .update(trackedOpportunities)
        .set({ ...set, updatedAt: now })
        .where(eq(trackedOpportunities.id, row.id));
      await recordAudit(tx, {
        actor: auditActor(actor),
        action: "pipeline.updated",
        orgId,
        target: { type: "tracked_opportunity", id: row.id },
        before: { notice_id: row.noticeId, ...before },
        after: { notice_id: row.noticeId, ...after },
        at: now,
      });
    }
    return loadTracked(tx, orgId, row.id);
  });
}

/** Appends a note; notes are never edited (the team's record of what was decided). */
export async function addNote(ctx: PipelineContext, id: string, request: AddNoteInput): Promise<ApiPipelineNote> {
  const { orgId, actor } = ctx;
  const input = validate(addNoteSchema, request);
  const now = ctx.now();
  return inPipeline(ctx, "pipeline:manage", async (tx) => {
    const row = await lockTracked(tx, orgId, id);
    const [note] = await tx
      .insert(pipelineNotes)
      .values({ orgId, trackedId: row.id, authorId: actor.userId, body: input.body, createdAt: now })
      .returning();
    await tx.update(trackedOpportunities).set({ updatedAt: now }).where(eq(trackedOpportunities.id, row.id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "pipeline.note_added",
      orgId,
      target: { type: "tracked_opportunity", id: row.id },
      after: { notice_id: row.noticeId, note_id: note!.id, body: input.body },
      at: now,
    });
    const [author] = await tx.select().from(users).where(eq(users.id, actor.userId));
    return {
      id: note!.id,
      author: author ? { user_id: author.id, name: author.name, email: author.email } : null,
      body: note!.body,
      created_at: note!.createdAt.toISOString(),
    };
  });
}

/** One tracked notice with its notes, oldest first. */
export async function getTracked(
  ctx: PipelineContext,
  id: string,
): Promise<ApiTrackedOpportunity & { notes: ApiPipelineNote[] }> {
  const { orgId } = ctx;
  if (!isUuid(id)) throw notFound();
  return inPipeline(ctx, "pipeline:read", async (tx) => {
    const tracked = await loadTracked(tx, orgId, id);
    const notes = await tx
      .select({ note: pipelineNotes, author: users })
      .from(pipelineNotes)
      .leftJoin(users, eq(users.id, pipelineNotes.authorId))
      .where(and(eq(pipelineNotes.orgId, orgId), eq(pipelineNotes.trackedId, id)))
      .orderBy(asc(pipelineNotes.createdAt), asc(pipelineNotes.id));
    return {
      ...tracked,
      notes: notes.map(({ note, author }) => ({
        id: note.id,
        author: author ? { user_id: author.id, name: author.name, email: author.email } : null,
        body: note.body,
        created_at: note.createdAt.toISOString(),
      })),
    };
  });
}

/** The tracked entry of one notice, or null: for the Track button on a notice's page. */
export async function trackedForNotice(ctx: PipelineContext, noticeId: string): Promise<ApiTrackedOpportunity | null> {
  const { orgId } = ctx;
  return inPipeline(ctx, "pipeline:read", async (tx) => {
    const [row] = await selectTracked(tx).where(
      and(eq(trackedOpportunities.orgId, orgId), eq(trackedOpportunities.noticeId, noticeId)),
    );
    return row ? toApi(row) : null;
  });
}

/** Which of these notices the org tracks: for the Track buttons of a page of search results. */
export async function trackedNoticeIds(ctx: PipelineContext, noticeIds: readonly string[]): Promise<Set<string>> {
  const { orgId } = ctx;
  if (noticeIds.length === 0) return new Set();
  return inPipeline(ctx, "pipeline:read", async (tx) => {
    const rows = await tx
      .select({ noticeId: trackedOpportunities.noticeId })
      .from(trackedOpportunities)
      .where(and(eq(trackedOpportunities.orgId, orgId), inArray(trackedOpportunities.noticeId, [...noticeIds])));
    return new Set(rows.map((r) => r.noticeId));
  });
}

function filterSql(orgId: string, filter: PipelineFilter): SQL {
  const where: SQL[] = [eq(trackedOpportunities.orgId, orgId)];
  if (filter.stage) {
    const stages = Array.isArray(filter.stage) ? filter.stage : [filter.stage];
    if (stages.length > 0) where.push(inArray(trackedOpportunities.stage, stages));
  }
  if (filter.assignee === "unassigned") where.push(isNull(trackedOpportunities.assigneeId));
  else if (filter.assignee) where.push(eq(trackedOpportunities.assigneeId, filter.assignee));
  if (filter.deadline_from) where.push(gte(opportunities.responseDeadline, filter.deadline_from));
  if (filter.deadline_to) where.push(lte(opportunities.responseDeadline, filter.deadline_to));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, "\\$&")}%`;
    where.push(
      or(
        ilike(opportunities.title, like),
        ilike(trackedOpportunities.noticeId, like),
        ilike(opportunities.solicitationNumber, like),
        ilike(opportunities.agencyPath, like),
      )!,
    );
  }
  return and(...where)!;
}

/** Newest tracked first, keyset-paged on (tracked at, id). */
export async function listTracked(
  ctx: PipelineContext,
  query: PipelineFilter & { limit?: number; cursor?: TimeCursor },
): Promise<PipelinePage> {
  const { orgId } = ctx;
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  return inPipeline(ctx, "pipeline:read", async (tx) => {
    const where = [filterSql(orgId, query)];
    if (query.cursor) where.push(olderThan(trackedOpportunities.createdAt, trackedOpportunities.id, query.cursor));
    const rows = await selectTracked(tx)
      .where(and(...where))
      .orderBy(...newestFirst(trackedOpportunities.createdAt, trackedOpportunities.id))
      .limit(limit + 1);
    const { page, nextCursor } = nextTimeCursor(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    return { data: page.map(toApi), next_cursor: nextCursor };
  });
}

/** Every tracked notice matching the filter (newest first, at most `cap`), for the CSV export. */
export async function allTracked(
  ctx: PipelineContext,
  filter: PipelineFilter,
  cap: number,
): Promise<ApiTrackedOpportunity[]> {
  const { orgId } = ctx;
  return inPipeline(ctx, "pipeline:read", async (tx) => {
    const rows = await selectTracked(tx)
      .where(filterSql(orgId, filter))
      .orderBy(...newestFirst(trackedOpportunities.createdAt, trackedOpportunities.id))
      .limit(cap);
    return rows.map(toApi);
  });
}

export async function getPipelineSettings(ctx: PipelineContext): Promise<PipelineSettings> {
  const { orgId } = ctx;
  return inPipeline(ctx, "pipeline:read", async (tx) => {
    const [row] = await tx.select().from(pipelineSettings).where(eq(pipelineSettings.orgId, orgId));
    return { reminder_days: row?.reminderDays ?? DEFAULT_REMINDER_DAYS };
  });
}

/** How many days before a response deadline reminders go out (0 = none): owners and admins. */
export async function updatePipelineSettings(
  ctx: PipelineContext,
  request: PipelineSettingsInput,
): Promise<PipelineSettings> {
  const { orgId, actor } = ctx;
  assertCan(actor, "org:update");
  const input = validate(pipelineSettingsSchema, request);
  const now = ctx.now();
  return inPipeline(ctx, "pipeline:manage", async (tx) => {
    const [before] = await tx.select().from(pipelineSettings).where(eq(pipelineSettings.orgId, orgId));
    await tx
      .insert(pipelineSettings)
      .values({ orgId, reminderDays: input.reminder_days, updatedAt: now })
      .onConflictDoUpdate({
        target: pipelineSettings.orgId,
        set: { reminderDays: input.reminder_days, updatedAt: now },
      });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "pipeline.settings_updated",
      orgId,
      target: { type: "organization", id: orgId },
      before: { reminder_days: before?.reminderDays ?? DEFAULT_REMINDER_DAYS },
      after: { reminder_days: input.reminder_days },
      at: now,
    });
    return { reminder_days: input.reminder_days };
  });
}
