"use client";

import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { FormState } from "@/lib/http";
import { bulkRerunJobsAction } from "../actions";

const IDLE: FormState = { status: "idle" };

/**
 * Bulk re-run of what the filter shows: the count is stated, the operator names the operation
 * and types that count to confirm (a filter that matches a different number by then is refused).
 */
export function BulkRerunForm({ filter, count, cap }: { filter: Record<string, string>; count: number; cap: number }) {
  const [state, action, pending] = useActionState(bulkRerunJobsAction, IDLE);
  return (
    <form
      action={action}
      className="mb-4 space-y-2 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200"
      aria-label="Bulk re-run"
    >
      {Object.entries(filter).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p className="text-sm text-amber-900">
        <strong>{count.toLocaleString("en-US")}</strong> run(s) match this filter — re-run all{" "}
        {count.toLocaleString("en-US")}. Each becomes a new run linked to its original; one audit entry records the
        operation. At most {cap.toLocaleString("en-US")} per operation.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-sm font-medium text-slate-900">
          Name of the operation
          <input
            name="label"
            required
            minLength={3}
            maxLength={200}
            defaultValue={state.values?.label}
            placeholder="e.g. replay after SMTP outage"
            className="mt-1 block h-10 w-72 rounded-md border border-slate-300 px-3 text-sm"
          />
        </label>
        <label className="text-sm font-medium text-slate-900">
          Type {count} to confirm
          <input
            name="confirm"
            inputMode="numeric"
            autoComplete="off"
            required
            className="mt-1 block h-10 w-28 rounded-md border border-slate-300 px-3 text-sm"
          />
        </label>
        <Button type="submit" variant="secondary" pending={pending}>
          Re-run all {count.toLocaleString("en-US")}
        </Button>
      </div>
      {state.message ? (
        <Alert tone={state.status === "error" ? "error" : "success"}>
          {state.fieldErrors?.label ?? state.fieldErrors?.confirm ?? state.message}
        </Alert>
      ) : null}
    </form>
  );
}
