import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { notFound, parseJsonBody, route, validate } from "@/lib/http";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";
import { CUSTOMER_ACTION_INPUTS, customerActionPermission, isCustomerActionName } from "@/lib/ops/customer-actions";
import { runCustomerAction, type CustomerAction } from "@/lib/ops/customers";

export const dynamic = "force-dynamic";

/** Money actions need ops_admin; the others ops_support or ops_admin. Every action is audited. */
export const POST = route(
  async ({ auth, params, request, requestId }) => {
    const action = String(params.action ?? "");
    if (!isCustomerActionName(action)) notFound("customer action");
    assertOperatorCan(auth, customerActionPermission(action));
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("content-type");
    const body = hasBody
      ? await parseJsonBody(request, CUSTOMER_ACTION_INPUTS[action])
      : validate(CUSTOMER_ACTION_INPUTS[action], {});
    const { result } = await runCustomerAction(
      String(params.id ?? ""),
      { action, ...body } as CustomerAction,
      actor,
      requestId,
    );
    return { body: { action, result } };
  },
  { authenticate: operatorAuth },
);
