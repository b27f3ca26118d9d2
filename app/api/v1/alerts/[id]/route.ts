import { deleteAlert, getAlert, toApiAlert } from "@/lib/alerts";
import { apiKeyAuth } from "@/lib/auth";
import { route } from "@/lib/http";

/** One alert; another org's id answers 404 like an unknown one. */
export const GET = route(
  async ({ auth, params }) => ({
    body: toApiAlert(await getAlert(auth.orgId, { apiKeyId: auth.keyId }, String(params.id))),
  }),
  { authenticate: apiKeyAuth },
);

export const DELETE = route(
  async ({ auth, params }) => {
    await deleteAlert(auth.orgId, { apiKeyId: auth.keyId }, String(params.id));
    return { status: 204, body: null };
  },
  { authenticate: apiKeyAuth },
);
