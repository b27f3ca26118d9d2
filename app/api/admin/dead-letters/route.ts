import { z } from "zod";
import { assertOperatorCan, operatorAuth, operatorCan, operatorContext } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { presentOutboxRow } from "@/lib/ops";
import { listOutbox, OUTBOX_KINDS } from "@/lib/outbox";

export const dynamic = "force-dynamic";

const deadLetterFilterSchema = z.object({
  status: z.enum(["pending", "sending", "delivered", "dead", "discarded"]).default("dead"),
  kind: z.enum(OUTBOX_KINDS).optional(),
  org: z.string().uuid().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

/** Dead letters (or any outbox status), newest first; payload search with `q`. */
export const GET = route(
  async ({ auth, url, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const q = parseQuery(
      url,
      deadLetterFilterSchema.extend({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().max(500).optional(),
      }),
    );
    const { items, nextCursor } = await listOutbox(operatorContext(auth.viewer, { requestId }), {
      status: q.status,
      kind: q.kind,
      orgId: q.org,
      search: q.q,
      createdFrom: q.from,
      createdTo: q.to,
      limit: q.limit,
      cursor: q.cursor,
    });
    const pii = operatorCan(auth.role, "ops:read_pii");
    return { body: { data: items.map((row) => presentOutboxRow(row, pii)), next_cursor: nextCursor } };
  },
  { authenticate: operatorAuth },
);
