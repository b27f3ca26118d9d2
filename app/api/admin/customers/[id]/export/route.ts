import { assertOperatorCan, operatorAuth, operatorContext } from "@/lib/auth";
import { route } from "@/lib/http";
import { exportCustomer } from "@/lib/ops";

export const dynamic = "force-dynamic";

/** The customer's data as one JSON bundle (personal data: ops_support/ops_admin only; audited). */
export const GET = route(
  async ({ auth, params, requestId }) => {
    assertOperatorCan(auth, "ops:read_pii");
    const orgId = String(params.id ?? "");
    const bundle = await exportCustomer(operatorContext(auth.viewer, { requestId }), orgId);
    return new Response(JSON.stringify(bundle), {
      status: 200,
      headers: {
        "content-type": "application/json",
        "content-disposition": `attachment; filename="beacon-export-${orgId}.json"`,
      },
    });
  },
  { authenticate: operatorAuth },
);
