import { z } from "zod";
import { assertOperatorCan, operatorAuth, operatorCan } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";
import { presentOutboxCircuit } from "@/lib/ops/dead-letter-view";
import { retryOutboxCircuit } from "@/lib/outbox";

export const dynamic = "force-dynamic";

// In the body, not the path: a destination (`webhook:https://host`) is full of reserved characters.
const bodySchema = z
  .object({ destination: z.string().min(1).max(2_100), reason: z.string().trim().max(500).optional() })
  .strict();

/** "Retry now": an open circuit becomes half-open, so the next delivery run sends one probe there; audited. */
export const POST = route(
  async ({ auth, request, requestId }) => {
    assertOperatorCan(auth, "dead_letters:replay");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const body = await parseJsonBody(request, bodySchema);
    const circuit = await retryOutboxCircuit(body.destination, actor, { requestId, reason: body.reason ?? null });
    return { body: { data: presentOutboxCircuit(circuit, operatorCan(auth.role, "ops:read_pii")) } };
  },
  { authenticate: operatorAuth },
);
