import { z } from "zod";
import { inOrg } from "@/lib/context";
import { CUSTOMER_ACTION_INPUTS, CUSTOMER_ACTION_NAMES, customerActionPermission } from "../customer-actions";
import type { CustomerActionName } from "../customer-actions";
import { hardDeleteCustomer, runCustomerAction, type CustomerAction } from "../customers";
import { defineCommandSet, defineOperatorCommand } from "./define";

const orgId = z.object({ id: z.string().uuid() });

const CUSTOMER_ACTION_AUDIT: Record<CustomerActionName, string> = {
  "grant-credits": "ops.customer.credits_granted",
  "extend-trial": "ops.customer.trial_extended",
  "mute-alerts": "ops.customer.alerts_muted",
  "unmute-alerts": "ops.customer.alerts_unmuted",
  "reset-stuck": "ops.customer.stuck_reset",
  activate: "ops.customer.activated",
  "retry-data-request": "data.request.retried",
};

function customerActionCommand(action: CustomerActionName) {
  return defineOperatorCommand({
    name: `customers.${action}`,
    permission: customerActionPermission(action),
    writes: true,
    audit: CUSTOMER_ACTION_AUDIT[action],
    params: orgId,
    notFound: "customer",
    body: CUSTOMER_ACTION_INPUTS[action] as z.ZodType<Record<string, unknown>>,
    run: async (ctx, { id, ...body }) => {
      const input = { action, ...body } as CustomerAction;
      return (await runCustomerAction(inOrg(ctx, id), input)).result;
    },
    answer: (result) => ({ body: { action, result } }),
  });
}

/** The cockpit's customer actions, each its own command: money ones need ops_admin, the rest support too. */
export const CUSTOMER_ACTION_COMMANDS = CUSTOMER_ACTION_NAMES.map(customerActionCommand);

/** `POST customers/{id}/actions/{action}` and the cockpit's customer forms (field `action`). */
export const customerActions = defineCommandSet("action", "customer action", CUSTOMER_ACTION_COMMANDS);

/** Hard delete: typed name, no live subscription, one transaction. */
export const deleteCustomer = defineOperatorCommand({
  name: "customers.delete",
  permission: "customers:delete",
  writes: true,
  audit: "ops.customer.deleted",
  params: orgId,
  notFound: "customer",
  body: z.object({ confirm_name: z.string().min(1, "Type the organisation's name.").max(200) }).strict(),
  run: (ctx, { id, confirm_name }) => hardDeleteCustomer(ctx, id, confirm_name),
  answer: () => ({ status: 204 }),
});
