"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { sendEventsAfterCommit } from "@/inngest/send";
import { operatorCan, type OperatorAction } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { reprocessStripeEvent } from "@/lib/billing/reconcile";
import { AppError, runFormAction, type FormState } from "@/lib/http";
import { assertAdminWritable } from "@/lib/ops";

async function operatorFor(action: OperatorAction) {
  const viewer = await getViewer();
  if (!viewer?.operatorRole) throw new AppError("forbidden", "Operators only.");
  if (!operatorCan(viewer.operatorRole, action)) throw new AppError("forbidden", `Your operator role (${viewer.operatorRole}) does not allow this.`);
  assertAdminWritable();
  return { type: "operator" as const, id: viewer.user.id, email: viewer.user.email };
}

export async function reprocessStripeEventAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, z.object({ id: z.string().regex(/^evt_[A-Za-z0-9_]{1,200}$/) }), async ({ id }) => {
    const actor = await operatorFor("stripe_events:reprocess");
    const { events, ...result } = await reprocessStripeEvent(id, actor);
    await sendEventsAfterCommit(events);
    return result;
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/stripe-events");
  const result = state.result as { status: string; error: string | null };
  return { status: result.error ? "error" : "success", message: result.error ? `Still failing: ${result.error}` : `Re-processed: ${result.status}.` };
}
