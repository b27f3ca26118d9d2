import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";
import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { notFound, route } from "@/lib/http";
import { rerunJob } from "@/lib/jobs";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Re-run a run (ops_support, ops_admin): re-sends its event, or runs a scheduled function here. 202 when queued in Inngest. */
export const POST = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "jobs:rerun");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const id = String(params.id ?? "");
    if (!UUID.test(id)) notFound("job run");
    const result = await rerunJob(id, actor, { functions: FUNCTIONS, send: (event) => inngest.send(event), requestId });
    return {
      status: result.mode === "event" ? 202 : 200,
      body: { job_run_id: result.jobRunId, status: result.status, rerun_of: id },
    };
  },
  { authenticate: operatorAuth },
);
