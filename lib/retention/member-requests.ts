import { and, eq, sql } from "drizzle-orm";
import { isUuid } from "@/db/tenant";
import { dataRequests } from "@/db/schema";
import type { MemberActor, OrgContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { assertCan } from "@/lib/orgs";
import type { DataRequestInput } from "./schemas";
import {
  getDataRequest,
  listDataRequests,
  requestAndBuildExport,
  requestDataDeletion,
  type DataRequest,
} from "./data-requests";

/** A data request as the owner sees it (page and API): no bundle, no internal lease. */
export interface DataRequestView {
  id: string;
  kind: string;
  status: string;
  requested_at: string;
  completed_at: string | null;
  error: string | null;
  /** Set for a completed export: the owner-only download route. */
  download_url: string | null;
}

type ListedRequest = Pick<DataRequest, "id" | "kind" | "status" | "requestedAt" | "completedAt" | "error">;

export function toDataRequestView(row: ListedRequest): DataRequestView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    requested_at: row.requestedAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
    error: row.error,
    download_url:
      row.kind === "export" && row.status === "completed" ? `/api/app/data-requests/${row.id}/download` : null,
  };
}

/** An owner's requests are made in their context in the org (`data:manage`). */
type OwnerContext = OrgContext<MemberActor>;

export async function listOwnDataRequests(ctx: OwnerContext): Promise<DataRequestView[]> {
  assertCan(ctx.actor, "data:manage");
  return (await listDataRequests(ctx)).map(toDataRequestView);
}

/** One request of the actor's org; another org's id answers 404 like an unknown one. */
export async function getOwnDataRequest(ctx: OwnerContext, dataRequestId: string): Promise<DataRequestView> {
  const { orgId } = ctx;
  assertCan(ctx.actor, "data:manage");
  const row = await getDataRequest(ctx, dataRequestId);
  if (!row || row.orgId !== orgId) throw new AppError("not_found", "No such data request.");
  return toDataRequestView(row);
}

/** An owner's export: recorded and built now (see requestAndBuildExport). */
export async function requestOwnExport(ctx: OwnerContext) {
  assertCan(ctx.actor, "data:manage");
  const { request, created } = await requestAndBuildExport(ctx);
  return { request: toDataRequestView(request), created };
}

/** An owner's deletion: recorded with its event; the caller sends the event after this returns. */
export async function requestOwnDeletion(ctx: OwnerContext, confirmName: string) {
  assertCan(ctx.actor, "data:manage");
  const { request, created, events } = await requestDataDeletion(ctx, { confirmName });
  return { request: toDataRequestView(request), created, events };
}

/** Either request, as the API and the Data page take it; `events` are already in the outbox, committed with it. */
export async function requestOwnData(ctx: OwnerContext, input: DataRequestInput) {
  if (input.kind === "export") return { ...(await requestOwnExport(ctx)), events: [] };
  return requestOwnDeletion(ctx, input.confirm_name);
}

/**
 * The stored bundle of a completed export, as the JSON text the database keeps (never parsed and
 * re-serialised here), with a file name for the download.
 */
export async function ownExportBundle(
  ctx: OwnerContext,
  dataRequestId: string,
): Promise<{ filename: string; json: string }> {
  const { orgId } = ctx;
  assertCan(ctx.actor, "data:manage");
  if (!isUuid(dataRequestId)) throw new AppError("not_found", "No such data request.");
  const [row] = await ctx.transaction((tx) =>
    tx
      .select({
        kind: dataRequests.kind,
        status: dataRequests.status,
        completedAt: dataRequests.completedAt,
        json: sql<string | null>`${dataRequests.result}::text`,
      })
      .from(dataRequests)
      .where(and(eq(dataRequests.id, dataRequestId), eq(dataRequests.orgId, orgId))),
  );
  if (!row || row.kind !== "export") throw new AppError("not_found", "No such export.");
  if (row.status !== "completed" || !row.json)
    throw new AppError("conflict", `This export is ${row.status}, not ready to download.`);
  const day = (row.completedAt ?? new Date()).toISOString().slice(0, 10);
  return { filename: `beacon-export-${orgId.slice(0, 8)}-${day}.json`, json: row.json };
}
