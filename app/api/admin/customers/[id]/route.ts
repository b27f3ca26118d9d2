import { assertOperatorCan, operatorAuth, operatorCan, operatorContext } from "@/lib/auth";
import { commandRoute } from "@/app/api/admin/command-route";
import { route } from "@/lib/http";
import { maskEmail } from "@/lib/format";
import { deleteCustomer } from "@/lib/ops/commands";
import { customerDetail } from "@/lib/ops";

export const dynamic = "force-dynamic";

/** One customer: plan, subscriptions, quota, onboarding, members, recent runs, alerts and audit trail. */
export const GET = route(
  async ({ auth, params, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const detail = await customerDetail(operatorContext(auth.viewer, { requestId }), String(params.id ?? ""));
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

export const DELETE = commandRoute(deleteCustomer);
