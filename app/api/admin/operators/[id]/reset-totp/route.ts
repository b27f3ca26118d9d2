import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { resetOperatorTotp } from "@/lib/auth/mfa";
import { notFound, route } from "@/lib/http";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Authenticator recovery by another ops_admin: new secret, re-enrolment at next sign-in, sessions ended. */
export const POST = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "operators:manage");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const id = String(params.id ?? "");
    if (!UUID.test(id)) notFound("operator");
    const result = await resetOperatorTotp(id, actor, requestId);
    return { body: { operator_id: id, revoked_sessions: result.revokedSessions } };
  },
  { authenticate: operatorAuth },
);
