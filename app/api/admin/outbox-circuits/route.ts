import { z } from "zod";
import { assertOperatorCan, operatorAuth, operatorCan, operatorContext } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { presentOutboxCircuit } from "@/lib/ops";
import { listOutboxCircuits } from "@/lib/outbox";

export const dynamic = "force-dynamic";

/** Outbox circuit breakers: open and half-open first, then closed ones counting failures (`all=true`: every one). */
export const GET = route(
  async ({ auth, url, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const q = parseQuery(url, z.object({ all: z.enum(["true", "false"]).optional() }));
    const circuits = await listOutboxCircuits(operatorContext(auth.viewer, { requestId }), {
      includeHealthy: q.all === "true",
    });
    const pii = operatorCan(auth.role, "ops:read_pii");
    return { body: { data: circuits.map((c) => presentOutboxCircuit(c, pii)) } };
  },
  { authenticate: operatorAuth },
);
