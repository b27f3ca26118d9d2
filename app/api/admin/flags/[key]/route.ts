import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { isFlagKey, setFlag, setFlagSchema } from "@/lib/flags";
import { notFound, parseJsonBody, route } from "@/lib/http";
import { assertFlagWritable, breakGlassTokenFrom } from "@/lib/ops";

export const dynamic = "force-dynamic";

/** Sets a flag (ops_admin, audited). Read-only applies to every flag but incident_mode itself. */
export const PUT = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "flags:manage");
    const key = String(params.key ?? "");
    if (!isFlagKey(key)) notFound("feature flag");
    const actor = await assertFlagWritable(key, auth.viewer.user, breakGlassTokenFrom(request));
    const body = await parseJsonBody(request, setFlagSchema);
    const flag = await setFlag(key, body, actor, { requestId });
    return {
      body: {
        key: flag.key,
        enabled: flag.enabled,
        reason: flag.reason,
        updated_at: flag.updatedAt?.toISOString() ?? null,
        updated_by: flag.updatedBy,
      },
    };
  },
  { authenticate: operatorAuth },
);
