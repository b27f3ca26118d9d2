import { z } from "zod";
import { assertOperatorCan, operatorAuth, operatorCan } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { assertAdminWritable, breakGlassTokenFrom, maskEmail } from "@/lib/ops";
import { customerDetail, hardDeleteCustomer } from "@/lib/ops/customers";

export const dynamic = "force-dynamic";

/** One customer: plan, subscriptions, quota, onboarding, members, recent runs, alerts and audit trail. */
export const GET = route(
  async ({ auth, params }) => {
    assertOperatorCan(auth, "ops:read");
    const detail = await customerDetail(String(params.id ?? ""));
    const pii = operatorCan(auth.role, "ops:read_pii");
    return {
      body: {
        ...detail,
        members: detail.members.map((m) => ({ ...m, email: pii ? m.email : maskEmail(m.email) })),
        audit: detail.audit.map((a) => ({
          ...a,
          actorEmail: a.actorEmail && !pii ? maskEmail(a.actorEmail) : a.actorEmail,
        })),
      },
    };
  },
  { authenticate: operatorAuth },
);

const deleteSchema = z.object({ confirm_name: z.string().min(1).max(200) }).strict();

/** Hard delete (ops_admin): typed name, no live subscription, one transaction, audited. */
export const DELETE = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "customers:delete");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const { confirm_name } = await parseJsonBody(request, deleteSchema);
    await hardDeleteCustomer(String(params.id ?? ""), confirm_name, actor, requestId);
    return new Response(null, { status: 204 });
  },
  { authenticate: operatorAuth },
);
