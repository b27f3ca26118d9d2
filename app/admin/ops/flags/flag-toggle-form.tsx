"use client";

import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { FormState } from "@/lib/http";
import { setFlagAction } from "../incident-actions";

const IDLE: FormState = { status: "idle" };

/** Turns one flag on or off, with an optional reason (kept on the flag and in the audit entry). */
export function FlagToggleForm({
  flagKey,
  enabled,
  disabled,
}: {
  flagKey: string;
  enabled: boolean;
  disabled: boolean;
}) {
  const [state, action, pending] = useActionState(setFlagAction, IDLE);
  const verb = enabled ? "Turn off" : "Turn on";
  return (
    <form action={action} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="key" value={flagKey} />
      <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
      <label className="text-sm font-medium text-slate-900" htmlFor={`reason-${flagKey}`}>
        Reason (optional)
      </label>
      <input
        id={`reason-${flagKey}`}
        name="reason"
        maxLength={500}
        disabled={disabled}
        className="h-10 w-56 rounded-md border border-slate-300 px-3 text-sm disabled:bg-slate-100"
      />
      <Button
        type="submit"
        variant={enabled ? "secondary" : "primary"}
        pending={pending}
        disabled={disabled}
        aria-label={`${verb} ${flagKey}`}
      >
        {verb}
      </Button>
      {state.status === "error" && state.message ? (
        <Alert tone="error" className="w-full">
          {state.message}
        </Alert>
      ) : null}
    </form>
  );
}
