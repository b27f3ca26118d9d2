import { z } from "zod";
import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { notFound, parseJsonBody, route, validate } from "@/lib/http";
import { assertAdminWritable } from "@/lib/ops";
import { runCustomerAction, type CustomerAction } from "@/lib/ops/customers";

export const dynamic = "force-dynamic";

const reason = z.string().trim().max(500).optional();
const BODIES = {
  "grant-credits": z.object({ credits: z.number().int().min(1).max(1_000_000), reason: z.string().trim().min(3).max(500) }).strict(),
  "mute-alerts": z.object({ hours: z.number().int().min(1).max(24 * 90).default(24), reason }).strict(),
  "unmute-alerts": z.object({ reason }).strict(),
  "reset-stuck": z.object({ reason }).strict(),
  activate: z.object({ reason }).strict(),
} as const;

/** Money actions need ops_admin; the others ops_support or ops_admin. Every action is audited. */
export const POST = route(
  async ({ auth, params, request, requestId }) => {
    const action = String(params.action ?? "") as keyof typeof BODIES;
    // Own keys only: `in` would accept "__proto__", "constructor", … from Object.prototype.
    if (!Object.hasOwn(BODIES, action)) notFound("customer action");
    assertOperatorCan(auth, action === "grant-credits" ? "money:act" : "customers:act");
    assertAdminWritable();
    const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("content-type");
    const body = hasBody ? await parseJsonBody(request, BODIES[action]) : validate(BODIES[action], {});
    const result = await runCustomerAction(String(params.id ?? ""), { action, ...body } as CustomerAction, { type: "operator", id: auth.viewer.user.id, email: auth.viewer.user.email }, requestId);
    return { body: { action, result } };
  },
  { authenticate: operatorAuth },
);
