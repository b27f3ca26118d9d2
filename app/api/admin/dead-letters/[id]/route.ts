import { assertOperatorCan, operatorAuth, operatorCan, operatorContext } from "@/lib/auth";
import { commandRoute } from "@/app/api/admin/command-route";
import { route } from "@/lib/http";
import { discardDeadLetter } from "@/lib/ops/commands";
import { presentOutboxRow } from "@/lib/ops";
import { getOutboxEvent } from "@/lib/outbox";

export const dynamic = "force-dynamic";

export const GET = route(
  async ({ auth, params, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const row = await getOutboxEvent(operatorContext(auth.viewer, { requestId }), String(params.id ?? ""));
    return { body: presentOutboxRow(row, operatorCan(auth.role, "ops:read_pii")) };
  },
  { authenticate: operatorAuth },
);

export const DELETE = commandRoute(discardDeadLetter);
