import { assertOperatorCan, operatorAuth, operatorCan, operatorContext } from "@/lib/auth";
import { notFound, route } from "@/lib/http";
import { getJobRun, presentJobEvent, presentJobRun } from "@/lib/jobs";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One run with its step log and the runs that re-ran it. */
export const GET = route(
  async ({ auth, params, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const id = String(params.id ?? "");
    const found = UUID.test(id) ? await getJobRun(operatorContext(auth.viewer, { requestId }), id) : null;
    if (!found) notFound("job run");
    const pii = operatorCan(auth.role, "ops:read_pii");
    return {
      body: {
        ...presentJobRun(found.run, { pii }),
        events: found.events.map(presentJobEvent),
        reruns: found.reruns.map((r) => ({ id: r.id, status: r.status, created_at: r.createdAt.toISOString() })),
      },
    };
  },
  { authenticate: operatorAuth },
);
