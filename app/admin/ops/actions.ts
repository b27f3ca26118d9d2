"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";
import { bulkRerunJobs, cancelJobRun, pauseFunction, rerunJob, resumeFunction } from "@/lib/jobs";
import { reprocessStripeEvent } from "@/lib/billing/reconcile";
import { AppError, runFormAction, validate, type FormState } from "@/lib/http";
import {
  CUSTOMER_ACTION_INPUTS,
  CUSTOMER_ACTION_NAMES,
  customerActionFromForm,
  customerActionPermission,
  type CustomerActionName,
} from "@/lib/ops/customer-actions";
import { hardDeleteCustomer, runCustomerAction, type CustomerAction } from "@/lib/ops/customers";
import { deliverDueOutbox, deliverOutboxNow, discardOutbox, OUTBOX_KINDS, replayOutbox } from "@/lib/outbox";
import { operatorWriter } from "./operator-context";

export async function reprocessStripeEventAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(
    formData,
    z.object({ id: z.string().regex(/^evt_[A-Za-z0-9_]{1,200}$/) }),
    async ({ id }) => {
      const actor = await operatorWriter("stripe_events:reprocess");
      const { status, error } = await reprocessStripeEvent(id, actor);
      return { status, error };
    },
  );
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/stripe-events");
  const result = state.result as { status: string; error: string | null };
  return {
    status: result.error ? "error" : "success",
    message: result.error ? `Still failing: ${result.error}` : `Re-processed: ${result.status}.`,
  };
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
  kind: z.enum([...OUTBOX_KINDS, ""]).optional(),
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
  revalidatePath("/admin/ops/jobs", "layout");
  const result = state.result as { jobRunId: string; status: string; mode: string };
  return {
    status: "success",
    message:
      result.mode === "event" ? "Event re-sent to Inngest: the new run is queued." : `Re-ran here: ${result.status}.`,
  };
}

const customerActionForm = z.object({ org_id: z.string().uuid(), action: z.enum(CUSTOMER_ACTION_NAMES) }).passthrough();

const CUSTOMER_ACTION_DONE: Record<CustomerActionName, string> = {
  "grant-credits": "Credits granted.",
  "extend-trial": "Trial extended.",
  "mute-alerts": "Ops alerts muted.",
  "unmute-alerts": "Ops alerts unmuted.",
  "reset-stuck": "Stuck flag reset.",
  activate: "Synced from Stripe.",
  "retry-data-request": "Data request retried.",
};

/** Every customer action from the cockpit: the API's body schema and permission, audited in lib. */
export async function customerActionFormAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, customerActionForm, async (input) => {
    const actor = await operatorWriter(customerActionPermission(input.action));
    const body = validate(
      CUSTOMER_ACTION_INPUTS[input.action],
      customerActionFromForm(input.action, input as Record<string, string>),
    );
    const { result } = await runCustomerAction(
      input.org_id,
      { action: input.action, ...body } as CustomerAction,
      actor,
    );
    return result;
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/customers", "layout");
  const action = String(formData.get("action")) as CustomerActionName;
  return { status: "success", message: CUSTOMER_ACTION_DONE[action] };
}

/** Hard delete from the cockpit: the typed name is checked against the org inside the transaction. */
export async function deleteCustomerAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(
    formData,
    z.object({ org_id: z.string().uuid(), confirm_name: z.string().min(1, "Type the organisation's name.").max(200) }),
    async ({ org_id, confirm_name }) => {
      const actor = await operatorWriter("customers:delete");
      await hardDeleteCustomer(org_id, confirm_name, actor);
    },
  );
  if (state.status !== "success") return { ...state, result: undefined };
  redirect("/admin/ops/customers?deleted=1");
}

const bulkRerunForm = z.object({
  function: z.string().trim().max(100).optional(),
  status: z.enum(["queued", "running", "succeeded", "failed", "retrying", "cancelled", ""]).optional(),
  org: z.union([z.string().uuid(), z.literal("")]).optional(),
  from: z.union([z.string().datetime({ offset: true }), z.literal("")]).optional(),
  to: z.union([z.string().datetime({ offset: true }), z.literal("")]).optional(),
  q: z.string().trim().max(200).optional(),
  label: z.string().trim().min(3, "Name the operation (at least 3 characters).").max(200),
  confirm: z.coerce
    .number({ message: "Type the number of runs to confirm." })
    .int()
    .min(1, "Type the number of runs to confirm."),
});

/** Bulk re-run of the filtered runs: the operator names it and types the count the page showed. */
export async function bulkRerunJobsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, bulkRerunForm, async (input) => {
    const actor = await operatorWriter("jobs:rerun");
    const filter = {
      functionId: input.function || undefined,
      status: input.status || undefined,
      orgId: input.org || undefined,
      from: input.from ? new Date(input.from) : undefined,
      to: input.to ? new Date(input.to) : undefined,
      search: input.q || undefined,
    };
    return bulkRerunJobs({ filter, label: input.label, confirm: input.confirm }, actor, {
      functions: FUNCTIONS,
      send: (event) => inngest.send(event),
    });
  });
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  revalidatePath("/admin/ops/jobs", "layout");
  const result = state.result as { reruns: unknown[]; failed: { error: string } | null };
  if (result.failed)
    return { status: "error", message: `Re-ran ${result.reruns.length}, then stopped: ${result.failed.error}` };
  return { status: "success", message: `Re-ran ${result.reruns.length} run(s). One audit entry records them.` };
}

export async function cancelJobRunAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, byId, async ({ id }) => {
    const actor = await operatorWriter("jobs:cancel");
    return cancelJobRun(id, actor, null, { functions: FUNCTIONS, send: (event) => inngest.send(event) });
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/jobs", "layout");
  return { status: "success", message: "Cancellation sent to Inngest; the run is marked cancelled." };
}

const byFunction = z.object({ function: z.string().trim().min(1).max(100) });

export async function pauseFunctionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, byFunction, async ({ function: id }) => {
    const actor = await operatorWriter("jobs:pause");
    await pauseFunction(id, actor, null, { functions: FUNCTIONS });
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/jobs");
  return { status: "success", message: "Paused." };
}

export async function resumeFunctionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, byFunction, async ({ function: id }) => {
    const actor = await operatorWriter("jobs:pause");
    await resumeFunction(id, actor, null, { functions: FUNCTIONS });
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/jobs");
  return { status: "success", message: "Resumed." };
}
