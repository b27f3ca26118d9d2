import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { notFound, route } from "@/lib/http";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";
import { deliverOutboxNow, replayOutbox } from "@/lib/outbox";

export const dynamic = "force-dynamic";

/** Replays one dead letter (attempts reset, due now) and tries it at once; audited. */
export const POST = route(
  async ({ auth, params, request, requestId }) => {
    assertOperatorCan(auth, "dead_letters:replay");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const id = String(params.id ?? "");
    const replayed = await replayOutbox({ ids: [id] }, actor, { requestId });
    if (replayed === 0) notFound("dead letter");
    await deliverOutboxNow([id]);
    return { body: { replayed } };
  },
  { authenticate: operatorAuth },
);
