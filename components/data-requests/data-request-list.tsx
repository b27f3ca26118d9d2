import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui";
import { formatDateTime } from "@/lib/format";

const STATUS_TONE: Record<string, BadgeTone> = {
  pending: "neutral",
  processing: "indigo",
  completed: "success",
  failed: "danger",
};

export interface DataRequestRow {
  id: string;
  kind: string;
  status: string;
  requestedAt: Date | string;
  completedAt: Date | string | null;
  /** Shown to operators only ("user:…", "operator:…", "system"). */
  requestedBy?: string | null;
  error: string | null;
}

/**
 * An org's export and deletion requests, as its owners (Settings → Data) and operators (the
 * customer page) see them; `action` adds what each may do with one (download, retry).
 */
export function DataRequestList({
  requests,
  empty,
  action,
}: {
  requests: DataRequestRow[];
  empty: string;
  action?: (request: DataRequestRow) => ReactNode;
}) {
  if (requests.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-200 text-sm" data-testid="data-requests">
      {requests.map((request) => (
        <li key={request.id} className="flex flex-wrap items-center gap-2 py-2">
          <Badge tone={STATUS_TONE[request.status] ?? "neutral"}>{request.status}</Badge>
          <span className="font-medium text-slate-900">{request.kind === "export" ? "Export" : "Deletion"}</span>
          <span className="text-slate-600">
            requested {formatDateTime(request.requestedAt)}
            {request.requestedBy !== undefined ? ` by ${request.requestedBy ?? "unknown"}` : ""}
            {request.completedAt ? ` · completed ${formatDateTime(request.completedAt)}` : ""}
          </span>
          {action?.(request)}
          {request.error ? <span className="w-full text-red-800">{request.error}</span> : null}
        </li>
      ))}
    </ul>
  );
}
