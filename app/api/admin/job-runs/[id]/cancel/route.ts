import { z } from "zod";
import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";
import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { notFound, parseJsonBody, route } from "@/lib/http";
import { cancelJobRun } from "@/lib/jobs";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const bodySchema = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

/**
 * Cancel a running run (ops_support, ops_admin): sends `ops/job.cancel.requested` to Inngest
 * (every function's cancelOn matches it by trigger event id), marks the run cancelled, audits.
 * 409 when the run is not running/retrying, ran locally, or its function cannot be cancelled.
 */
export const POST = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "jobs:cancel");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const id = String(params.id ?? "");
    if (!UUID.test(id)) notFound("job run");
    const body =
      request.headers.get("content-length") === "0" || !request.body ? {} : await parseJsonBody(request, bodySchema);
    const result = await cancelJobRun(id, actor, body.reason ?? null, {
      functions: FUNCTIONS,
      send: (event) => inngest.send(event),
      requestId,
    });
    return { body: { job_run_id: result.jobRunId, status: result.status, cancel_event_id: result.cancelEventId } };
  },
  { authenticate: operatorAuth },
);
