import { z } from "zod";
import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";
import { deliverDueOutbox, OUTBOX_KINDS, replayOutbox } from "@/lib/outbox";

export const dynamic = "force-dynamic";

const bodySchema = z
  .object({
    ids: z.array(z.string().uuid()).min(1).max(1000).optional(),
    filter: z
      .object({
        kind: z.enum(OUTBOX_KINDS).optional(),
        org: z.string().uuid().optional(),
        q: z.string().trim().min(1).max(200).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => Boolean(b.ids) !== Boolean(b.filter), "Send either ids or filter.");

/** Bulk replay of dead letters by ids or by filter (at most 1,000 per call); each one audited. */
export const POST = route(
  async ({ auth, request, requestId }) => {
    assertOperatorCan(auth, "dead_letters:replay");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const body = await parseJsonBody(request, bodySchema);
    const replayed = body.ids
      ? await replayOutbox({ ids: body.ids }, actor, { requestId })
      : await replayOutbox(
          { filter: { kind: body.filter!.kind, orgId: body.filter!.org, search: body.filter!.q } },
          actor,
          { requestId },
        );
    if (replayed > 0) await deliverDueOutbox({ limit: Math.min(replayed, 100) });
    return { body: { replayed } };
  },
  { authenticate: operatorAuth },
);
