import { eq } from "drizzle-orm";
import { creditPacks } from "@/db/schema";
import { revokeCredits } from "../org-plan";
import { idOf } from "./fields";
import type { StripeEventHandler } from "./types";

/**
 * A refunded credit pack: take back the refunded share of its credits from the credit balance
 * (amount_refunded is cumulative, so a repeated or partial refund only takes the difference),
 * never below 0: credits already spent stay spent.
 */
export const chargeRefunded: StripeEventHandler = async (tx, event, now) => {
  const charge = event.object;
  const paymentIntentId = idOf(charge.payment_intent);
  if (!paymentIntentId)
    return { orgId: null, log: `charge ${String(charge.id)}: no payment intent, not a credit pack` };
  const [pack] = await tx
    .select()
    .from(creditPacks)
    .where(eq(creditPacks.stripePaymentIntentId, paymentIntentId))
    .for("update");
  if (!pack) return { orgId: null, log: `charge ${String(charge.id)}: not a credit pack` };
  const amount = typeof charge.amount === "number" ? charge.amount : 0;
  const refunded = typeof charge.amount_refunded === "number" ? charge.amount_refunded : 0;
  const target =
    charge.refunded === true || amount <= 0
      ? pack.credits
      : Math.min(pack.credits, Math.floor((pack.credits * refunded) / amount));
  const delta = target - pack.creditsRevoked;
  if (delta <= 0) return { orgId: pack.orgId, log: `charge ${String(charge.id)}: nothing more to take back` };
  await tx.update(creditPacks).set({ creditsRevoked: target }).where(eq(creditPacks.id, pack.id));
  const taken = await revokeCredits(tx, pack.orgId, delta, now, String(charge.id));
  return {
    orgId: pack.orgId,
    log: `charge ${String(charge.id)}: -${taken} of ${delta} refunded credits (the rest already spent)`,
  };
};
