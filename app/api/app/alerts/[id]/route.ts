import { deleteAlert, toApiAlert, updateAlert, updateAlertSchema } from "@/lib/alerts";
import { memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";

/** Rename, re-filter, pause or resume an alert. */
export const PATCH = route(
  async ({ auth, params, request }) => {
    const patch = await parseJsonBody(request, updateAlertSchema);
    return { body: toApiAlert(await updateAlert(auth.orgId, auth.actor, String(params.id), patch)) };
  },
  { authenticate: memberAuth },
);

export const DELETE = route(
  async ({ auth, params }) => {
    await deleteAlert(auth.orgId, auth.actor, String(params.id));
    return { status: 204, body: null };
  },
  { authenticate: memberAuth },
);
