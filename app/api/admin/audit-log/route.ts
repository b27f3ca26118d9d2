import { z } from "zod";
import { assertOperatorCan, operatorAuth, operatorCan, operatorContext } from "@/lib/auth";
import { listAudit } from "@/lib/audit";
import { pageQuerySchema, parseQuery, route } from "@/lib/http";
import { maskEmail } from "@/lib/format";

export const dynamic = "force-dynamic";

const querySchema = z
  .object({
    org: z.string().uuid().optional(),
    actor: z.string().trim().min(1).max(200).optional(),
    action: z.string().trim().min(1).max(100).optional(),
    q: z.string().trim().min(1).max(200).optional(),
  })
  .extend(pageQuerySchema.shape);

/** The append-only audit trail, newest first (ops_viewer sees e-mail addresses masked). */
export const GET = route(
  async ({ auth, url, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const q = parseQuery(url, querySchema);
    const { data, nextCursor } = await listAudit(operatorContext(auth.viewer, { requestId }), {
      orgId: q.org,
      actorId: q.actor,
      action: q.action,
      search: q.q,
      limit: q.limit,
      cursor: q.cursor,
    });
    const pii = operatorCan(auth.role, "ops:read_pii");
    return {
      body: {
        data: data.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor: {
            type: r.actorType,
            id: r.actorId,
            email: r.actorEmail && !pii ? maskEmail(r.actorEmail) : r.actorEmail,
          },
          org_id: r.orgId,
          action: r.action,
          target: r.targetType ? { type: r.targetType, id: r.targetId } : null,
          before: r.before,
          after: r.after,
          reason: r.reason,
          request_id: r.requestId,
          break_glass_session_id: r.breakGlassSessionId,
        })),
        next_cursor: nextCursor,
      },
    };
  },
  { authenticate: operatorAuth },
);
