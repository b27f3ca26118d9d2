import { withSystem } from "@/db/tenant";
import { deliverOutboxNow } from "./deliver";
import { enqueueOutbox } from "./enqueue";
import type { EmailPayload } from "./payloads";

/**
 * For an e-mail that no other write causes (a magic link, "someone tried to sign up"): enqueue
 * on its own, then deliver at once. Anything that changes data should instead enqueue in its own
 * transaction and call `deliverOutboxNow` after commit.
 */
export async function sendEmailNow(input: { orgId?: string | null; dedupeKey: string; email: EmailPayload }) {
  const queued = await withSystem("outbox", (tx) =>
    enqueueOutbox(tx, {
      kind: "email",
      orgId: input.orgId ?? null,
      dedupeKey: input.dedupeKey,
      payload: input.email,
    }),
  );
  if (queued.created) await deliverOutboxNow([queued.id]);
  return queued;
}
