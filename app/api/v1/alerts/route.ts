import { createAlert, createAlertSchema, listAlerts, toApiAlert } from "@/lib/alerts";
import { apiKeyAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";

/** The org's alerts (API.md). Not metered. */
export const GET = route(
  async ({ auth }) => {
    const rows = await listAlerts(auth.orgId, { apiKeyId: auth.keyId });
    return { body: { data: rows.map(toApiAlert) } };
  },
  { authenticate: apiKeyAuth },
);

/** Saves an alert; 403 `forbidden` past the plan's alert limit. */
export const POST = route(
  async ({ auth, request }) => {
    const input = await parseJsonBody(request, createAlertSchema);
    const row = await createAlert(auth.orgId, { apiKeyId: auth.keyId }, input);
    return { status: 201, body: toApiAlert(row), headers: { location: `/api/v1/alerts/${row.id}` } };
  },
  { authenticate: apiKeyAuth },
);
