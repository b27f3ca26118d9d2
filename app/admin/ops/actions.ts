"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import {
  bulkReplayDeadLetters,
  bulkRerunJobRuns,
  cancelRun,
  customerActions,
  deleteCustomer,
  discardDeadLetter,
  pauseJobFunction,
  replayOneDeadLetter,
  reprocessStripe,
  rerunJobRun,
  resumeJobFunction,
} from "@/lib/ops/commands";
import { commandAction } from "./command-action";

// One line per command (lib/ops/commands declares it): what the operator reads, what is drawn again.

export const reprocessStripeEventAction = commandAction(reprocessStripe, {
  revalidate: "/admin/ops/stripe-events",
  done: ({ status, error }) =>
    error ? { status: "error", message: `Still failing: ${error}` } : `Re-processed: ${status}.`,
});

export const replayDeadLetterAction = commandAction(replayOneDeadLetter, {
  revalidate: "/admin/ops/dead-letters",
  done: "Replayed.",
});

export const discardDeadLetterAction = commandAction(discardDeadLetter, {
  revalidate: "/admin/ops/dead-letters",
  done: "Discarded.",
});

/** Bulk replay of the filtered dead letters: the operator saw the count and typed "replay". */
export const bulkReplayDeadLettersAction = commandAction(bulkReplayDeadLetters, {
  revalidate: "/admin/ops/dead-letters",
  confirm: z.object({
    expected: z.coerce.number().int().min(1),
    confirm: z.literal("replay", { message: 'Type "replay" to confirm.' }),
  }),
  done: ({ replayed }) => `Replayed ${replayed} message(s).`,
});

export const rerunJobAction = commandAction(rerunJobRun, {
  revalidate: ["/admin/ops/jobs", "layout"],
  done: (result) =>
    result.mode === "event" ? "Event re-sent to Inngest: the new run is queued." : `Re-ran here: ${result.status}.`,
});

/** Bulk re-run of the filtered runs: the operator names it and types the count the page showed. */
export const bulkRerunJobsAction = commandAction(bulkRerunJobRuns, {
  revalidate: ["/admin/ops/jobs", "layout"],
  done: ({ reruns, failed }) =>
    failed
      ? { status: "error", message: `Re-ran ${reruns.length}, then stopped: ${failed.error}` }
      : `Re-ran ${reruns.length} run(s). One audit entry records them.`,
});

export const cancelJobRunAction = commandAction(cancelRun, {
  revalidate: ["/admin/ops/jobs", "layout"],
  done: "Cancellation sent to Inngest; the run is marked cancelled.",
});

export const pauseFunctionAction = commandAction(pauseJobFunction, { revalidate: "/admin/ops/jobs", done: "Paused." });

export const resumeFunctionAction = commandAction(resumeJobFunction, {
  revalidate: "/admin/ops/jobs",
  done: "Resumed.",
});

const CUSTOMER_ACTION_DONE: Record<string, string> = {
  "customers.grant-credits": "Credits granted.",
  "customers.extend-trial": "Trial extended.",
  "customers.mute-alerts": "Ops alerts muted.",
  "customers.unmute-alerts": "Ops alerts unmuted.",
  "customers.reset-stuck": "Stuck flag reset.",
  "customers.activate": "Synced from Stripe.",
  "customers.retry-data-request": "Data request retried.",
};

/** Every customer action from the cockpit; the form's `action` field picks the command. */
export const customerActionFormAction = commandAction(customerActions, {
  revalidate: ["/admin/ops/customers", "layout"],
  done: (_result, command) => CUSTOMER_ACTION_DONE[command.name] ?? "Done.",
});

/** Hard delete from the cockpit: the typed name is checked against the org inside the transaction. */
export const deleteCustomerAction = commandAction(deleteCustomer, {
  revalidate: "/admin/ops/customers",
  done: "Deleted.",
  after: async () => redirect("/admin/ops/customers?deleted=1"),
});
