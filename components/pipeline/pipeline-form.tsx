"use client";

import { useActionState, useId, type ReactNode } from "react";
import { Alert, Button, type ButtonVariant } from "@/components/ui";
import type { FormState } from "@/lib/http";

const IDLE: FormState = { status: "idle" };

/**
 * One pipeline server action as a form: the fields come from the server as children, the outcome
 * (or the first field error) is announced beside the button. A `url` in the result (a new
 * calendar feed) is shown once in a read-only field to copy.
 */
export function PipelineForm({
  action,
  submit,
  hidden = {},
  variant = "secondary",
  label,
  className,
  children,
}: {
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
  submit: string;
  hidden?: Record<string, string>;
  variant?: ButtonVariant;
  label?: string;
  className?: string;
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const noteId = useId();
  const url = (state.result as { url?: unknown } | undefined)?.url;
  const fieldError = Object.values(state.fieldErrors ?? {})[0];
  return (
    <form action={formAction} aria-label={label ?? submit} className={className ?? "flex flex-wrap items-end gap-2"}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <Button type="submit" variant={variant} size="md" pending={pending}>
        {submit}
      </Button>
      {state.message ? (
        <div className="w-full" id={noteId}>
          <Alert tone={state.status === "error" ? "error" : "success"}>
            {state.message}
            {fieldError && fieldError !== state.message ? ` ${fieldError}` : null}
          </Alert>
        </div>
      ) : null}
      {typeof url === "string" ? (
        <label className="flex w-full flex-col gap-1 text-sm font-medium text-slate-900">
          Your calendar feed URL (shown only now; copy it into your calendar app)
          <input
            readOnly
            value={url}
            data-testid="calendar-feed-url"
            className="h-10 rounded-md border border-slate-300 px-3 font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
        </label>
      ) : null}
    </form>
  );
}
