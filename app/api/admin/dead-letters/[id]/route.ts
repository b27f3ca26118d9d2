import { assertOperatorCan, operatorAuth, operatorCan } from "@/lib/auth";
import { route } from "@/lib/http";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";
import { presentOutboxRow } from "@/lib/ops/dead-letter-view";
import { discardOutbox, getOutboxEvent } from "@/lib/outbox";

export const dynamic = "force-dynamic";

export const GET = route(
  async ({ auth, params }) => {
    assertOperatorCan(auth, "ops:read");
    const row = await getOutboxEvent(String(params.id ?? ""));
    return { body: presentOutboxRow(row, operatorCan(auth.role, "ops:read_pii")) };
  },
  { authenticate: operatorAuth },
);

/** Discard: the message is never sent (ops_admin; audited). */
export const DELETE = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "dead_letters:discard");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    await discardOutbox(String(params.id ?? ""), actor, { requestId });
    return new Response(null, { status: 204 });
  },
  { authenticate: operatorAuth },
);
