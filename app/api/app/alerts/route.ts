import { alertUsage, createAlert, createAlertSchema, listAlerts, toApiAlert } from "@/lib/alerts";
import { memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";

/** The alerts page's data: the org's alerts and how many of the plan's allowance are in use. */
export const GET = route(
  async ({ auth }) => {
    const [rows, usage] = await Promise.all([listAlerts(auth.orgId, auth.actor), alertUsage(auth.orgId, auth.actor)]);
    return { body: { data: rows.map(toApiAlert), usage } };
  },
  { authenticate: memberAuth },
);

export const POST = route(
  async ({ auth, request }) => {
    const input = await parseJsonBody(request, createAlertSchema);
    const row = await createAlert(auth.orgId, auth.actor, input);
    return { status: 201, body: toApiAlert(row) };
  },
  { authenticate: memberAuth },
);
