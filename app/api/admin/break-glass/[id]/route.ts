import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { endBreakGlass } from "@/lib/ops";

export const dynamic = "force-dynamic";

/** Ends a break-glass session early (ops_admin, audited); allowed in incident mode, it only takes power away. */
export const DELETE = route(
  async ({ auth, params, requestId }) => {
    assertOperatorCan(auth, "break_glass:start");
    const ended = await endBreakGlass(String(params.id ?? ""), auth.viewer.user, { requestId });
    return { body: { id: ended.id, ended_at: ended.endedAt!.toISOString() } };
  },
  { authenticate: operatorAuth },
);
