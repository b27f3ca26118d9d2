import type { Metadata } from "next";
import { ActionForm } from "@/components/ops/action-form";
import { Badge, Card, CardBody, CardHeader, PageHeader, type BadgeTone } from "@/components/ui";
import { requireViewer } from "@/lib/auth/next";
import { can } from "@/lib/orgs";
import { DATA_SETTINGS_PATH, listOwnDataRequests } from "@/lib/retention";
import { SettingsNav } from "../settings-nav";
import { requestDataAction } from "./actions";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Data" };

const STATUS_TONE: Record<string, BadgeTone> = {
  pending: "neutral",
  processing: "indigo",
  completed: "success",
  failed: "danger",
};

const when = (iso: string | null) => formatDateTime(iso);

export default async function DataSettingsPage() {
  const viewer = await requireViewer(DATA_SETTINGS_PATH);
  const owner = can(viewer.org.role, "data:manage");
  const requests = owner
    ? await listOwnDataRequests(viewer.org.id, { userId: viewer.user.id, role: viewer.org.role })
    : [];

  return (
    <>
      <PageHeader title="Settings" description={viewer.org.name} />
      <SettingsNav current={DATA_SETTINGS_PATH} />
      {!owner ? (
        <p className="text-sm text-slate-600" data-testid="data-not-owner">
          Only owners can export or delete the organisation&apos;s data, because an export contains every member&apos;s
          details and a deletion cannot be undone. Your role is {viewer.org.role}: ask an owner.
        </p>
      ) : (
        <div className="space-y-6">
          <Card>
            <CardHeader
              title="Export your data"
              description="One JSON file with the organisation, members, alerts, API keys (never the keys themselves), billing, usage and audit log."
            />
            <CardBody>
              <ActionForm
                action={requestDataAction}
                submit="Request export"
                variant="primary"
                hidden={{ kind: "export" }}
              />
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Requests" />
            <CardBody>
              {requests.length === 0 ? (
                <p className="text-sm text-slate-600">No export or deletion requested yet.</p>
              ) : (
                <ul className="divide-y divide-slate-200 text-sm" data-testid="data-requests">
                  {requests.map((request) => (
                    <li key={request.id} className="flex flex-wrap items-center gap-2 py-2">
                      <Badge tone={STATUS_TONE[request.status] ?? "neutral"}>{request.status}</Badge>
                      <span className="font-medium text-slate-900">
                        {request.kind === "export" ? "Export" : "Deletion"}
                      </span>
                      <span className="text-slate-600">
                        requested {when(request.requested_at)}
                        {request.completed_at ? ` · completed ${when(request.completed_at)}` : ""}
                      </span>
                      {request.download_url ? (
                        <a href={request.download_url} download className="font-medium text-indigo-700 underline">
                          Download JSON
                        </a>
                      ) : null}
                      {request.error ? <span className="w-full text-red-800">{request.error}</span> : null}
                    </li>
                  ))}
                </ul>
              )}
            </CardBody>
          </Card>

          <section aria-labelledby="delete-data-heading" className="rounded-lg bg-red-50 p-4 ring-1 ring-red-200">
            <h2 id="delete-data-heading" className="text-lg font-semibold text-red-900">
              Delete your data
            </h2>
            <p className="mb-2 text-sm text-red-900">
              Removes members, invitations, alerts, API keys, the business profile and e-mails, and anonymises everyone
              who belongs to no other organisation, you included: you will be signed out. Invoices, usage counts and the
              audit log are kept. Cancel any subscription in Billing first; a deletion is refused while one is live.
            </p>
            <ActionForm
              action={requestDataAction}
              submit="Delete organisation data"
              variant="danger"
              hidden={{ kind: "deletion" }}
              fields={[{ name: "confirm_name", label: `Type “${viewer.org.name}” to confirm`, required: true }]}
            />
          </section>
        </div>
      )}
    </>
  );
}
