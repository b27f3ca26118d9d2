import { memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { dataRequestInputSchema, listOwnDataRequests, requestOwnData } from "@/lib/retention";

export const dynamic = "force-dynamic";

export const GET = route(async ({ auth }) => ({ body: { data: await listOwnDataRequests(auth.orgId, auth.actor) } }), {
  authenticate: memberAuth,
});

/** 202: a deletion runs in the background; an export is usually already completed in the answer. */
export const POST = route(
  async ({ auth, request }) => {
    const input = await parseJsonBody(request, dataRequestInputSchema);
    const { request: dataRequest, created } = await requestOwnData(auth.orgId, auth.actor, input);
    return {
      status: created ? 202 : 200,
      body: dataRequest,
      headers: { location: `/api/app/data-requests/${dataRequest.id}` },
    };
  },
  { authenticate: memberAuth },
);
