import { asc, inArray, sql } from "drizzle-orm";
import { creditPacks } from "@/db/schema";
import { revokeCreditsOfOrgs } from "@/lib/metering";
import { idOf } from "./fields";
import type { HandlerResult, StripeEventHandler } from "./types";

/**
 * A refunded credit pack: take back the refunded share of its credits from the credit balance
 * (amount_refunded is cumulative, so a repeated or partial refund only takes the difference),
 * never below 0: credits already spent stay spent. All the events' packs in three statements:
 * the packs locked, their revoked share, the credits taken back.
 */
export const chargeRefunded: StripeEventHandler = async (tx, events, now) => {
  const intents = events.map((event) => idOf(event.object.payment_intent));
  const known = [...new Set(intents.filter((id): id is string => id !== null))];
  if (known.length !== intents.filter((id) => id !== null).length)
    // Each would read the pack as it was before the other: apply such events one at a time.
    throw new Error("two refunds of one payment in one batch");
  const packs =
    known.length > 0
      ? await tx
          .select()
          .from(creditPacks)
          .where(inArray(creditPacks.stripePaymentIntentId, known))
          .orderBy(asc(creditPacks.id))
          .for("update")
      : [];
  const packOf = new Map<string | null, (typeof packs)[number]>();
  for (const pack of packs) if (!packOf.has(pack.stripePaymentIntentId)) packOf.set(pack.stripePaymentIntentId, pack);
  const decided = events.map((event, i) => {
    const charge = event.object;
    const pack = intents[i] ? packOf.get(intents[i]) : undefined;
    if (!pack) return { charge, pack, target: 0, delta: 0 };
    const amount = typeof charge.amount === "number" ? charge.amount : 0;
    const refunded = typeof charge.amount_refunded === "number" ? charge.amount_refunded : 0;
    const target =
      charge.refunded === true || amount <= 0
        ? pack.credits
        : Math.min(pack.credits, Math.floor((pack.credits * refunded) / amount));
    return { charge, pack, target, delta: target - pack.creditsRevoked };
  });
  const taking = decided.filter((one) => one.pack && one.delta > 0);
  const takenBack = new Map<(typeof decided)[number], number>();
  if (taking.length > 0) {
    const revoked = taking.map(({ pack, target }) => sql`(${pack!.id}::uuid, ${target}::int)`);
    await tx.execute(sql`update ${creditPacks} p set credits_revoked = v.target
      from (values ${sql.join(revoked, sql`, `)}) as v(id, target) where p.id = v.id`);
    const taken = await revokeCreditsOfOrgs(
      tx,
      taking.map(({ pack, delta, charge }) => ({ orgId: pack!.orgId, credits: delta, ref: String(charge.id) })),
      now,
    );
    taking.forEach((one, k) => takenBack.set(one, taken[k]!));
  }
  return decided.map((one, i): HandlerResult => {
    const { charge, pack, delta } = one;
    if (!intents[i]) return { orgId: null, log: `charge ${String(charge.id)}: no payment intent, not a credit pack` };
    if (!pack) return { orgId: null, log: `charge ${String(charge.id)}: not a credit pack` };
    if (delta <= 0) return { orgId: pack.orgId, log: `charge ${String(charge.id)}: nothing more to take back` };
    return {
      orgId: pack.orgId,
      log: `charge ${String(charge.id)}: -${takenBack.get(one)} of ${delta} refunded credits (the rest already spent)`,
    };
  });
};
