"use client";

import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { FormState } from "@/lib/http";
import { verifyMfaAction } from "./actions";

const IDLE: FormState = { status: "idle" };

export function MfaForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(verifyMfaAction, IDLE);
  const error = state.fieldErrors?.code ?? (state.status === "error" ? state.message : undefined);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div>
        <label htmlFor="code" className="block text-sm font-medium text-slate-900">
          Authentication code
        </label>
        <input
          id="code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "code-error" : undefined}
          className="mt-1 h-12 w-40 rounded-md border border-slate-300 px-3 text-center font-mono text-xl tracking-widest"
        />
      </div>
      {error ? (
        <Alert tone="error">
          <span id="code-error">{error}</span>
        </Alert>
      ) : null}
      <Button type="submit" pending={pending}>
        Verify
      </Button>
    </form>
  );
}
