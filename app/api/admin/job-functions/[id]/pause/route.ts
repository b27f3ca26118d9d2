import { z } from "zod";
import { FUNCTIONS } from "@/inngest/functions";
import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { pauseFunction } from "@/lib/jobs";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

/** Pause a scheduled function (ops_admin; audited). See lib/jobs/pause.ts for what a pause does. */
export const POST = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "jobs:pause");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const body =
      request.headers.get("content-length") === "0" || !request.body ? {} : await parseJsonBody(request, bodySchema);
    const result = await pauseFunction(String(params.id ?? ""), actor, body.reason ?? null, {
      functions: FUNCTIONS,
      requestId,
    });
    return { body: { function_id: result.functionId, paused_at: result.pausedAt.toISOString() } };
  },
  { authenticate: operatorAuth },
);
