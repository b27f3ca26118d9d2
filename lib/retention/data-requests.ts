import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, lt, or } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { isUuid } from "@/db/tenant";
import { dataRequests } from "@/db/schema";
import { lockOrganization } from "@/lib/orgs";
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from "@/lib/audit";
import {
  asSystem,
  inOrg,
  operatorAuditActor,
  type MemberActor,
  type OperatorActor,
  type OrgContext,
  type ServiceContext,
  type SystemActor,
  type SystemContext,
} from "@/lib/context";
import { AppError } from "@/lib/http";
import { deliverOutboxNow } from "@/lib/outbox";
import { anonymiseOrg, assertNoLiveSubscription } from "./deletion";
import { enqueueExportReadyEmail } from "./export-ready-email";
import { buildExportBundle } from "./export-bundle";

export type DataRequestKind = "deletion" | "export";
export type DataRequest = typeof dataRequests.$inferSelect;

/** Who asked, as stored in `data_requests.requested_by`: `user:<id>`, `operator:<id>` or `system`. */
export interface DataRequester {
  type: "user" | "operator" | "system";
  id?: string | null;
}

export function formatRequester(requester: DataRequester): string {
  return requester.type === "system" || !requester.id ? requester.type : `${requester.type}:${requester.id}`;
}

/** Who may ask for an org's export or deletion: a member, an operator, or Beacon itself (the CLI). */
export type DataRequestActor = MemberActor | OperatorActor | SystemActor;

/** The context a data request is made in. */
export type DataRequestContext = OrgContext<DataRequestActor>;

/** The requester stored for the context's actor: `user:<id>`, `operator:<id>` or `system`. */
function requesterOf(actor: DataRequestActor): DataRequester {
  if (actor.kind === "member") return { type: "user", id: actor.userId };
  if (actor.kind === "operator") return { type: "operator", id: actor.userId };
  return { type: "system" };
}

/** The audit actor for a stored `requested_by` (unknown text is recorded as the system). */
export function requesterActor(requestedBy: string | null): AuditActor {
  const match = /^(user|operator):(.+)$/.exec(requestedBy ?? "");
  return match ? { type: match[1] as "user" | "operator", id: match[2]!, email: null } : SYSTEM_ACTOR;
}

const OPEN_STATUSES = ["pending", "processing"];

/**
 * Processing a request (by its id, whichever org it is in) is Beacon's own work: the worker, the
 * daily run, the CLI, and a member's or operator's export built right away all run it as
 * `systemActor("retention")`.
 */
export type DataRequestWorkContext = SystemContext;

/** The processing run of a request made in `ctx`: its request and clock, as the system for retention. */
function processingContext(ctx: ServiceContext): DataRequestWorkContext {
  return asSystem(ctx, "retention");
}

/** An event for the background functions, written to the outbox in the change's transaction. */
export interface DataRequestEvent {
  name: "data/deletion.requested";
  /** Deterministic per request: a repeat never starts a second run. */
  id: string;
  data: { org_id: string; request_id: string; requested_by: string | null };
}

/** Wakes the `data-requests` function for a pending deletion (the daily retention run is the fallback). */
export function deletionRequestedEvent(request: Pick<DataRequest, "id" | "orgId" | "requestedBy">): DataRequestEvent {
  return {
    name: "data/deletion.requested",
    id: `data-deletion-${request.id}`,
    data: { org_id: request.orgId, request_id: request.id, requested_by: request.requestedBy },
  };
}

type RequestCheck = (tx: Tx, org: { id: string; name: string }) => Promise<void>;

async function requestData(
  ctx: DataRequestContext,
  kind: DataRequestKind,
  check?: RequestCheck,
): Promise<{ request: DataRequest; created: boolean }> {
  const { orgId } = ctx;
  return ctx.transaction(async (tx, send) => {
    // The org row lock makes "is one already open?" and the insert one step for concurrent requests.
    const org = await lockOrganization(tx, orgId);
    if (check) await check(tx, org);
    const [open] = await tx
      .select()
      .from(dataRequests)
      .where(
        and(eq(dataRequests.orgId, orgId), eq(dataRequests.kind, kind), inArray(dataRequests.status, OPEN_STATUSES)),
      )
      .orderBy(asc(dataRequests.requestedAt))
      .limit(1);
    const [row] = open
      ? [open]
      : await tx
          .insert(dataRequests)
          .values({ orgId, kind, requestedBy: formatRequester(requesterOf(ctx.actor)) })
          .returning();
    // A deletion's event commits with it (an open one's is already there: the dedupe key says so).
    if (kind === "deletion") await send(deletionRequestedEvent(row!));
    return { request: row!, created: !open };
  });
}

/** Records a pending export request; one still open for the org is returned instead. */
export const requestDataExport = async (ctx: DataRequestContext) => {
  const { request, created } = await requestData(ctx, "export");
  return { request, created };
};

/**
 * Records a pending deletion request (one still open for the org is returned instead) and the
 * event that starts it. Refused unless `confirmName` is the org's exact name, and while a
 * subscription is live: the requester learns it now rather than from a failed request later.
 */
export async function requestDataDeletion(ctx: DataRequestContext, input: { confirmName: string }) {
  const recorded = await requestData(ctx, "deletion", async (tx, org) => {
    if (input.confirmName !== org.name) {
      throw new AppError("validation_failed", "Type the organisation's exact name to confirm the deletion.", {
        errors: [{ path: "confirm_name", message: "Does not match the organisation's name." }],
      });
    }
    await assertNoLiveSubscription(tx, org.id);
  });
  return { request: recorded.request, created: recorded.created, events: [deletionRequestedEvent(recorded.request)] };
}

export type ProcessOutcome =
  | { status: "completed"; requestId: string; kind: DataRequestKind; result: Record<string, unknown> }
  | { status: "failed"; requestId: string; kind: DataRequestKind; error: string }
  /** Not pending (already processing elsewhere, completed or failed): nothing was done. */
  | { status: "skipped"; requestId: string; current: string | null };

/** How long a worker owns a request it claimed; an export or anonymisation takes seconds. */
export const DATA_REQUEST_LEASE_MS = 15 * 60_000;

/** Pending, or claimed by a worker whose lease ran out (it crashed or was killed mid-way). */
const claimable = (now: Date) =>
  or(eq(dataRequests.status, "pending"), and(eq(dataRequests.status, "processing"), lt(dataRequests.leaseUntil, now)));

/**
 * Claims a pending request, or one whose worker's lease expired (one conditional UPDATE: two
 * workers never both get it), runs it and
 * stores the outcome. An export stores the bundle; a deletion runs in its own transaction with
 * its audit entry and stores the counts. A failure (e.g. a live subscription) is stored as
 * `failed` with the message; `retryDataRequest` makes it pending again.
 */
export async function processDataRequest(ctx: DataRequestWorkContext, requestId: string): Promise<ProcessOutcome> {
  // The request id is all a worker holds; the org it names is checked when its context is built.
  if (!isUuid(requestId)) throw new AppError("not_found", "No such data request.");
  const now = ctx.now();
  const [claimed] = await ctx.transaction((tx) =>
    tx
      .update(dataRequests)
      .set({ status: "processing", error: null, leaseUntil: new Date(now.getTime() + DATA_REQUEST_LEASE_MS) })
      .where(and(eq(dataRequests.id, requestId), claimable(now)))
      .returning(),
  );
  if (!claimed) {
    const [current] = await ctx.transaction((tx) =>
      tx.select({ status: dataRequests.status }).from(dataRequests).where(eq(dataRequests.id, requestId)),
    );
    if (!current) throw new AppError("not_found", "No such data request.");
    return { status: "skipped", requestId, current: current.status };
  }
  const kind = claimed.kind as DataRequestKind;
  try {
    let result: Record<string, unknown>;
    if (kind === "export") {
      result = await buildExportBundle(inOrg(ctx, claimed.orgId));
      const bundle = result;
      // The bundle and the "it is ready" e-mail commit together.
      const emailIds = await inOrg(ctx, claimed.orgId).transaction(async (tx) => {
        await tx
          .update(dataRequests)
          .set({ status: "completed", completedAt: now, result: bundle, leaseUntil: null })
          .where(eq(dataRequests.id, requestId));
        const requester = requesterActor(claimed.requestedBy);
        return enqueueExportReadyEmail(tx, {
          orgId: claimed.orgId,
          requestId,
          requesterUserId: requester.type === "user" ? (requester.id ?? null) : null,
        });
      });
      await deliverOutboxNow(emailIds);
    } else {
      // The anonymisation, its audit entry and the request's completion commit together.
      result = await ctx.transaction(async (tx) => {
        const counts = await anonymiseOrg(
          tx,
          claimed.orgId,
          requesterActor(claimed.requestedBy),
          `data request ${requestId}`,
        );
        await tx
          .update(dataRequests)
          .set({ status: "completed", completedAt: now, result: { counts }, leaseUntil: null })
          .where(eq(dataRequests.id, requestId));
        return { counts };
      });
    }
    return { status: "completed", requestId, kind, result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.transaction((tx) =>
      tx
        .update(dataRequests)
        .set({ status: "failed", error: message.slice(0, 2_000), leaseUntil: null })
        .where(eq(dataRequests.id, requestId)),
    );
    return { status: "failed", requestId, kind, error: message };
  }
}

/**
 * A failed request of this org becomes pending again, audited with the operator's reason. A
 * deletion's event (answered as `events`) is written to the outbox with the change; an export has
 * no background function of its own, so it is built here, once the retry committed.
 */
export async function retryDataRequest(
  ctx: OrgContext<OperatorActor>,
  dataRequestId: string,
  options: { reason?: string | null } = {},
) {
  const { orgId } = ctx;
  if (!isUuid(dataRequestId)) throw new AppError("not_found", "No such data request.");
  const { request, events } = await ctx.transaction(async (tx, send) => {
    const [row] = await tx
      .update(dataRequests)
      .set({ status: "pending", error: null })
      .where(and(eq(dataRequests.id, dataRequestId), eq(dataRequests.orgId, orgId), eq(dataRequests.status, "failed")))
      .returning();
    if (!row) {
      const [current] = await tx
        .select({ id: dataRequests.id })
        .from(dataRequests)
        .where(and(eq(dataRequests.id, dataRequestId), eq(dataRequests.orgId, orgId)));
      if (!current) throw new AppError("not_found", "No such data request.");
      throw new AppError("conflict", "Only a failed data request can be retried.");
    }
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      action: "data.request.retried",
      orgId,
      target: { type: "data_request", id: row.id },
      before: { status: "failed" },
      after: { status: "pending", kind: row.kind },
      reason: options.reason ?? null,
      requestId: ctx.requestId,
    });
    if (row.kind !== "deletion") return { request: row, events: [] };
    // Its own outbox row (the first request's may be long delivered) and its own event id:
    // Inngest drops an id it saw in the last 24 h, so a retry under the first id would never run.
    const retry = randomUUID();
    const first = deletionRequestedEvent(row);
    const event = { ...first, id: `${first.id}-retry-${retry}` };
    await send({ ...event, dedupeKey: `event:data/deletion.requested:retry:${retry}` });
    return { request: row, events: [event] };
  });
  if (request.kind === "export") {
    await processDataRequest(processingContext(ctx), request.id);
    return { request: (await getDataRequest(ctx, request.id)) ?? request, events: [] };
  }
  return { request, events };
}

/**
 * Records an export and builds it right away (seconds: the bundle is bounded), so the owner can
 * download it at once. If building fails the request is stored as failed; if this process dies
 * mid-way, the lease runs out and the daily retention run finishes it.
 */
export async function requestAndBuildExport(ctx: DataRequestContext) {
  const { request, created } = await requestDataExport(ctx);
  await processDataRequest(processingContext(ctx), request.id);
  return { request: (await getDataRequest(ctx, request.id)) ?? request, created };
}

/** The org's oldest request of that kind a worker may claim now (pending, or its lease expired). */
export async function pendingDataRequest(ctx: OrgContext, kind: DataRequestKind): Promise<DataRequest | null> {
  const { orgId } = ctx;
  const now = ctx.now();
  const [row] = await ctx.transaction((tx) =>
    tx
      .select()
      .from(dataRequests)
      .where(and(eq(dataRequests.orgId, orgId), eq(dataRequests.kind, kind), claimable(now)))
      .orderBy(asc(dataRequests.requestedAt))
      .limit(1),
  );
  return row ?? null;
}

/**
 * One request by id. In an org's context, read as that org (another org's id is not found); in
 * the processing context (a worker or the CLI holding only the request id), as the system role.
 */
export async function getDataRequest(
  ctx: OrgContext | DataRequestWorkContext,
  requestId: string,
): Promise<DataRequest | null> {
  if (!isUuid(requestId)) return null;
  const byId = eq(dataRequests.id, requestId);
  const [row] =
    "orgId" in ctx
      ? await ctx.transaction((tx) =>
          tx
            .select()
            .from(dataRequests)
            .where(and(byId, eq(dataRequests.orgId, ctx.orgId))),
        )
      : await ctx.transaction((tx) => tx.select().from(dataRequests).where(byId));
  return row ?? null;
}

/** The org's requests, newest first, without the (possibly large) export bundle. */
export async function listDataRequests(ctx: OrgContext, limit = 50) {
  const { orgId } = ctx;
  return ctx.transaction((tx) =>
    tx
      .select({
        id: dataRequests.id,
        kind: dataRequests.kind,
        status: dataRequests.status,
        requestedBy: dataRequests.requestedBy,
        requestedAt: dataRequests.requestedAt,
        completedAt: dataRequests.completedAt,
        error: dataRequests.error,
      })
      .from(dataRequests)
      .where(eq(dataRequests.orgId, orgId))
      .orderBy(desc(dataRequests.requestedAt))
      .limit(limit),
  );
}

/** Safety net for the daily retention run: processes the oldest pending requests (bounded). */
export async function processPendingDataRequests(ctx: DataRequestWorkContext, input: { limit?: number } = {}) {
  const { limit = 20 } = input;
  const now = ctx.now();
  const pending = await ctx.transaction((tx) =>
    tx
      .select({ id: dataRequests.id })
      .from(dataRequests)
      .where(claimable(now))
      .orderBy(asc(dataRequests.requestedAt))
      .limit(limit),
  );
  const outcomes: ProcessOutcome[] = [];
  for (const row of pending) outcomes.push(await processDataRequest(ctx, row.id));
  return {
    completed: outcomes.filter((o) => o.status === "completed").length,
    failed: outcomes.filter((o) => o.status === "failed").length,
  };
}
