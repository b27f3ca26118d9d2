"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";
import { sendEventsAfterCommit } from "@/inngest/send";
import { rerunJob } from "@/lib/jobs";
import { reprocessStripeEvent } from "@/lib/billing/reconcile";
import { AppError, runFormAction, type FormState } from "@/lib/http";
import { deliverDueOutbox, deliverOutboxNow, discardOutbox, replayOutbox } from "@/lib/outbox";
import { operatorWriter } from "./operator-context";

export async function reprocessStripeEventAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, z.object({ id: z.string().regex(/^evt_[A-Za-z0-9_]{1,200}$/) }), async ({ id }) => {
    const actor = await operatorWriter("stripe_events:reprocess");
    const { events, ...result } = await reprocessStripeEvent(id, actor);
    await sendEventsAfterCommit(events);
    return result;
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/stripe-events");
  const result = state.result as { status: string; error: string | null };
  return { status: result.error ? "error" : "success", message: result.error ? `Still failing: ${result.error}` : `Re-processed: ${result.status}.` };
}

const byId = z.object({ id: z.string().uuid() });

export async function replayDeadLetterAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, byId, async ({ id }) => {
    const actor = await operatorWriter("dead_letters:replay");
    const replayed = await replayOutbox({ ids: [id] }, actor);
    if (replayed === 0) throw new AppError("conflict", "This message is no longer dead.");
    await deliverOutboxNow([id]);
    return replayed;
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/dead-letters");
  return { status: "success", message: "Replayed." };
}

export async function discardDeadLetterAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, byId, async ({ id }) => {
    const actor = await operatorWriter("dead_letters:discard");
    await discardOutbox(id, actor);
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/dead-letters");
  return { status: "success", message: "Discarded." };
}

const bulkSchema = z.object({
  kind: z.enum(["email", "webhook", ""]).optional(),
  q: z.string().trim().max(200).optional(),
  expected: z.coerce.number().int().min(1),
  confirm: z.literal("replay", { message: 'Type "replay" to confirm.' }),
});

/** Bulk replay of the filtered dead letters: the operator saw the count and typed "replay". */
export async function bulkReplayDeadLettersAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, bulkSchema, async ({ kind, q }) => {
    const actor = await operatorWriter("dead_letters:replay");
    const replayed = await replayOutbox({ filter: { kind: kind || undefined, search: q || undefined } }, actor);
    if (replayed > 0) await deliverDueOutbox({ limit: Math.min(replayed, 100) });
    return replayed;
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/dead-letters");
  return { status: "success", message: `Replayed ${String(state.result)} message(s).` };
}

export async function rerunJobAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, byId, async ({ id }) => {
    const actor = await operatorWriter("jobs:rerun");
    return rerunJob(id, actor, { functions: FUNCTIONS, send: (event) => inngest.send(event) });
  });
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  revalidatePath(`/admin/ops/jobs`);
  const result = state.result as { jobRunId: string; status: string; mode: string };
  return { status: "success", message: result.mode === "event" ? "Event re-sent to Inngest: the new run is queued." : `Re-ran here: ${result.status}.` };
}
