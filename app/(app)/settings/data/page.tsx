import type { Metadata } from "next";
import { ActionForm } from "@/components/ops/action-form";
import { DataRequestList } from "@/components/data-requests/data-request-list";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { requireMember } from "@/lib/auth/next";
import { can } from "@/lib/orgs";
import { DATA_SETTINGS_PATH, listOwnDataRequests } from "@/lib/retention";
import { SettingsNav } from "../settings-nav";
import { requestDataAction } from "./actions";

export const metadata: Metadata = { title: "Data" };

export default async function DataSettingsPage() {
  const { viewer, ctx } = await requireMember(DATA_SETTINGS_PATH);
  const owner = can(viewer.org.role, "data:manage");
  const requests = owner ? await listOwnDataRequests(ctx) : [];

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
              <DataRequestList
                empty="No export or deletion requested yet."
                requests={requests.map((r) => ({
                  id: r.id,
                  kind: r.kind,
                  status: r.status,
                  requestedAt: r.requested_at,
                  completedAt: r.completed_at,
                  error: r.error,
                }))}
                action={(r) => {
                  const url = requests.find((request) => request.id === r.id)?.download_url;
                  return url ? (
                    <a href={url} download className="font-medium text-indigo-700 underline">
                      Download JSON
                    </a>
                  ) : null;
                }}
              />
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
