"use client";

import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { FormState } from "@/lib/http";
import { startBreakGlassAction } from "../incident-actions";

const IDLE: FormState = { status: "idle" };
const TTLS = [15, 30, 60, 120, 240];

/** Starts a break-glass session for this operator: a reason, a duration, audited. */
export function BreakGlassForm() {
  const [state, action, pending] = useActionState(startBreakGlassAction, IDLE);
  return (
    <form action={action} className="space-y-3">
      <div>
        <label className="block text-sm font-medium text-slate-900" htmlFor="break-glass-reason">
          Reason
        </label>
        <textarea
          id="break-glass-reason"
          name="reason"
          required
          minLength={10}
          maxLength={500}
          rows={2}
          defaultValue={state.values?.reason}
          aria-invalid={Boolean(state.fieldErrors?.reason)}
          aria-describedby={state.fieldErrors?.reason ? "break-glass-reason-error" : undefined}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        {state.fieldErrors?.reason ? (
          <p id="break-glass-reason-error" className="mt-1 text-sm text-red-700">
            {state.fieldErrors.reason}
          </p>
        ) : null}
      </div>
      <div>
        <label className="block text-sm font-medium text-slate-900" htmlFor="break-glass-ttl">
          Duration
        </label>
        <select
          id="break-glass-ttl"
          name="ttl_minutes"
          defaultValue="30"
          className="mt-1 h-10 rounded-md border border-slate-300 px-3 text-sm"
        >
          {TTLS.map((minutes) => (
            <option key={minutes} value={minutes}>
              {minutes} minutes
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="danger" pending={pending}>
        Start break-glass
      </Button>
      {state.status === "error" && state.message && !state.fieldErrors?.reason ? (
        <Alert tone="error">{state.message}</Alert>
      ) : null}
    </form>
  );
}
