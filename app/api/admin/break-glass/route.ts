import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { startBreakGlass, startBreakGlassSchema } from "@/lib/ops";

export const dynamic = "force-dynamic";

/**
 * Starts a break-glass session (ops_admin, reason required, audited). Allowed in incident mode:
 * that is its point. The token is in this answer only; send it as X-Break-Glass-Token.
 */
export const POST = route(
  async ({ auth, request, requestId }) => {
    assertOperatorCan(auth, "break_glass:start");
    const body = await parseJsonBody(request, startBreakGlassSchema);
    const session = await startBreakGlass(auth.viewer.user, body, { requestId });
    return { status: 201, body: { id: session.id, token: session.token, expires_at: session.expiresAt.toISOString() } };
  },
  { authenticate: operatorAuth },
);
