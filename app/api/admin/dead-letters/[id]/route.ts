import { assertOperatorCan, operatorAuth, operatorCan } from "@/lib/auth";
import { commandRoute } from "@/app/api/admin/command-route";
import { route } from "@/lib/http";
import { discardDeadLetter } from "@/lib/ops/commands";
import { presentOutboxRow } from "@/lib/ops";
import { getOutboxEvent } from "@/lib/outbox";

export const dynamic = "force-dynamic";

export const GET = route(
  async ({ auth, params }) => {
    assertOperatorCan(auth, "ops:read");
    const row = await getOutboxEvent(String(params.id ?? ""));
    return { body: presentOutboxRow(row, operatorCan(auth.role, "ops:read_pii")) };
  },
  { authenticate: operatorAuth },
);

export const DELETE = commandRoute(discardDeadLetter);
