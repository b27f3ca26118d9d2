import { and, eq, sql } from "drizzle-orm";
import { isUuid, withTenant } from "@/db/tenant";
import { dataRequests } from "@/db/schema";
import { AppError } from "@/lib/http";
import { assertCan, type OrgActor } from "@/lib/orgs";
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

const requester = (actor: OrgActor) => ({ type: "user" as const, id: actor.userId });

export async function listOwnDataRequests(orgId: string, actor: OrgActor): Promise<DataRequestView[]> {
  assertCan(actor, "data:manage");
  return (await listDataRequests(orgId)).map(toDataRequestView);
}

/** One request of the actor's org; another org's id answers 404 like an unknown one. */
export async function getOwnDataRequest(
  orgId: string,
  actor: OrgActor,
  dataRequestId: string,
): Promise<DataRequestView> {
  assertCan(actor, "data:manage");
  const row = await getDataRequest(dataRequestId, orgId);
  if (!row || row.orgId !== orgId) throw new AppError("not_found", "No such data request.");
  return toDataRequestView(row);
}

/** An owner's export: recorded and built now (see requestAndBuildExport). */
export async function requestOwnExport(orgId: string, actor: OrgActor) {
  assertCan(actor, "data:manage");
  const { request, created } = await requestAndBuildExport(orgId, requester(actor));
  return { request: toDataRequestView(request), created };
}

/** An owner's deletion: recorded with its event; the caller sends the event after this returns. */
export async function requestOwnDeletion(orgId: string, actor: OrgActor, confirmName: string) {
  assertCan(actor, "data:manage");
  const { request, created, events } = await requestDataDeletion(orgId, requester(actor), { confirmName });
  return { request: toDataRequestView(request), created, events };
}

/** Either request, as the API and the Data page take it; `events` are already in the outbox, committed with it. */
export async function requestOwnData(orgId: string, actor: OrgActor, input: DataRequestInput) {
  if (input.kind === "export") return { ...(await requestOwnExport(orgId, actor)), events: [] };
  return requestOwnDeletion(orgId, actor, input.confirm_name);
}

/**
 * The stored bundle of a completed export, as the JSON text the database keeps (never parsed and
 * re-serialised here), with a file name for the download.
 */
export async function ownExportBundle(
  orgId: string,
  actor: OrgActor,
  dataRequestId: string,
): Promise<{ filename: string; json: string }> {
  assertCan(actor, "data:manage");
  if (!isUuid(dataRequestId)) throw new AppError("not_found", "No such data request.");
  const [row] = await withTenant(orgId, (tx) =>
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
