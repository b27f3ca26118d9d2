import { memberAuth } from "@/lib/auth";
import { parseJsonBody, parseQuery, route } from "@/lib/http";
import { listTracked, pipelineListQuerySchema, trackNotice, trackSchema } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

/** The org's tracked notices, newest first, filtered and keyset-paged. */
export const GET = route(
  async ({ auth, url }) => ({
    body: await listTracked(auth.orgId, auth.actor, parseQuery(url, pipelineListQuerySchema)),
  }),
  { authenticate: memberAuth },
);

/** Track a notice: 201 when new, 200 with the existing entry when the org already tracks it. */
export const POST = route(
  async ({ auth, request }) => {
    const input = await parseJsonBody(request, trackSchema);
    const { tracked, created } = await trackNotice(auth.orgId, auth.actor, input);
    return { status: created ? 201 : 200, body: tracked, headers: { location: `/api/app/pipeline/${tracked.id}` } };
  },
  { authenticate: memberAuth },
);
