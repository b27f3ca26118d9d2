import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { resetOperatorTotp } from "@/lib/auth/mfa";
import { notFound, route } from "@/lib/http";
import { assertAdminWritable } from "@/lib/ops";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Authenticator recovery by another ops_admin: new secret, re-enrolment at next sign-in, sessions ended. */
export const POST = route(
  async ({ auth, params, requestId }) => {
    assertOperatorCan(auth, "operators:manage");
    assertAdminWritable();
    const id = String(params.id ?? "");
    if (!UUID.test(id)) notFound("operator");
    const result = await resetOperatorTotp(id, { type: "operator", id: auth.viewer.user.id, email: auth.viewer.user.email }, requestId);
    return { body: { operator_id: id, revoked_sessions: result.revokedSessions } };
  },
  { authenticate: operatorAuth },
);
