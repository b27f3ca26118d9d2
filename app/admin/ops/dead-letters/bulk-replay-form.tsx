"use client";

import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { FormState } from "@/lib/http";
import { bulkReplayDeadLettersAction } from "../actions";

const IDLE: FormState = { status: "idle" };

/** Bulk replay of what the filter shows: the count is named and the operator types "replay". */
export function BulkReplayForm({ kind, q, count }: { kind: string; q: string; count: string }) {
  const [state, action, pending] = useActionState(bulkReplayDeadLettersAction, IDLE);
  return (
    <form
      action={action}
      className="mb-4 flex flex-wrap items-end gap-2 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200"
    >
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="q" value={q} />
      <input type="hidden" name="expected" value={count.replace("+", "")} />
      <p className="w-full text-sm text-amber-900">
        Replay all <strong>{count}</strong> dead letter(s) matching this filter{q ? ` (“${q}”)` : ""}
        {kind ? `, ${kind} only` : ""}. Each replay is audited.
      </p>
      <label className="text-sm font-medium text-slate-900" htmlFor="confirm">
        Type replay to confirm
      </label>
      <input
        id="confirm"
        name="confirm"
        autoComplete="off"
        className="h-10 w-32 rounded-md border border-slate-300 px-3 text-sm"
      />
      <Button type="submit" variant="secondary" pending={pending}>
        Replay all
      </Button>
      {state.message ? (
        <Alert tone={state.status === "error" ? "error" : "success"} className="w-full">
          {state.fieldErrors?.confirm ?? state.message}
        </Alert>
      ) : null}
    </form>
  );
}
