import { z } from "zod";
import { assertOperatorCan, operatorAuth, operatorContext } from "@/lib/auth";
import { pageQuerySchema, parseQuery, route } from "@/lib/http";
import { listStripeEvents, STRIPE_EVENT_STATUSES } from "@/lib/ops";

export const dynamic = "force-dynamic";

const querySchema = z
  .object({
    status: z.enum(STRIPE_EVENT_STATUSES).optional(),
    type: z.string().trim().min(1).max(100).optional(),
    org: z.string().uuid().optional(),
    id: z.string().trim().min(1).max(255).optional(),
  })
  .extend(pageQuerySchema.shape);

/** Stripe events as stored (metadata only), newest first; filters status, type, org, id. */
export const GET = route(
  async ({ auth, url, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const q = parseQuery(url, querySchema);
    const { data, nextCursor } = await listStripeEvents(operatorContext(auth.viewer, { requestId }), {
      status: q.status,
      type: q.type,
      orgId: q.org,
      id: q.id,
      limit: q.limit,
      cursor: q.cursor,
    });
    return {
      body: {
        data: data.map((e) => ({
          id: e.id,
          type: e.type,
          status: e.status,
          created: e.created.toISOString(),
          received_at: e.receivedAt.toISOString(),
          processed_at: e.processedAt?.toISOString() ?? null,
          attempts: e.attempts,
          last_error: e.lastError,
          object_id: e.objectId,
          org_id: e.orgId,
          livemode: e.livemode,
          metadata: e.metadata,
        })),
        next_cursor: nextCursor,
      },
    };
  },
  { authenticate: operatorAuth },
);
