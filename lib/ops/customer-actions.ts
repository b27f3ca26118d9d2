import { z } from "zod";
import type { OperatorAction } from "@/lib/auth";
import { MAX_TRIAL_EXTENSION_DAYS } from "@/lib/billing";

const reason = z.string().trim().max(500).optional();
const requiredReason = z.string().trim().min(3, "Say why (at least 3 characters).").max(500);

/** The body each customer action takes, shared by the operator API and the cockpit's forms. */
export const CUSTOMER_ACTION_INPUTS = {
  "grant-credits": z.object({ credits: z.number().int().min(1).max(1_000_000), reason: requiredReason }).strict(),
  "extend-trial": z
    .object({ days: z.number().int().min(1).max(MAX_TRIAL_EXTENSION_DAYS), reason: requiredReason })
    .strict(),
  "mute-alerts": z
    .object({
      hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 90)
        .default(24),
      reason,
    })
    .strict(),
  "unmute-alerts": z.object({ reason }).strict(),
  "reset-stuck": z.object({ reason }).strict(),
  activate: z.object({ reason }).strict(),
  "retry-data-request": z
    .object({ request_id: z.string().uuid("request_id must be a data request's id."), reason })
    .strict(),
} as const;

export type CustomerActionName = keyof typeof CUSTOMER_ACTION_INPUTS;
export const CUSTOMER_ACTION_NAMES = Object.keys(CUSTOMER_ACTION_INPUTS) as CustomerActionName[];

/** Giving credits or free days is giving money away: ops_admin only. The rest: support too. */
export function customerActionPermission(action: CustomerActionName): OperatorAction {
  return action === "grant-credits" || action === "extend-trial" ? "money:act" : "customers:act";
}
