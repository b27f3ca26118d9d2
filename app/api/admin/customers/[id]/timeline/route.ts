import { z } from "zod";
import { assertOperatorCan, operatorAuth, operatorCan, operatorContext } from "@/lib/auth";
import { pageQuerySchema, parseQuery, route } from "@/lib/http";
import { customerTimeline, TIMELINE_KINDS } from "@/lib/ops";

export const dynamic = "force-dynamic";

const querySchema = pageQuerySchema.extend({
  kind: z
    .string()
    .max(200)
    .optional()
    .transform((value) => (value ? value.split(",") : undefined))
    .pipe(z.array(z.enum(TIMELINE_KINDS)).max(TIMELINE_KINDS.length).optional()),
});

/** One customer's chronological story: audit, e-mails, payments, Stripe events, job runs, ops alerts. */
export const GET = route(
  async ({ auth, params, requestId, url }) => {
    assertOperatorCan(auth, "ops:read");
    const { limit, cursor, kind } = parseQuery(url, querySchema);
    const showPii = operatorCan(auth.role, "ops:read_pii");
    const ctx = operatorContext(auth.viewer, { requestId });
    const { entries, nextCursor } = await customerTimeline(ctx, String(params.id ?? ""), {
      limit,
      cursor,
      kinds: kind,
      showPii,
    });
    return {
      body: {
        data: entries.map((e) => ({
          key: e.key,
          kind: e.kind,
          at: e.at.toISOString(),
          title: e.title,
          detail: e.detail,
          status: e.status,
          href: e.href,
        })),
        next_cursor: nextCursor,
      },
    };
  },
  { authenticate: operatorAuth },
);
