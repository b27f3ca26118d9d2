"use client";

import { useActionState, type ReactNode } from "react";
import { Alert, Button, type ButtonVariant } from "@/components/ui";
import type { FormState } from "@/lib/http";

const IDLE: FormState = { status: "idle" };

/** A one-button form for a server action, with hidden fields and its error shown beside it. */
export function ActionButton({
  action,
  fields = {},
  variant = "primary",
  className,
  children,
}: {
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
  fields?: Record<string, string>;
  variant?: ButtonVariant;
  className?: string;
  children: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  return (
    <form action={formAction} className={className}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} pending={pending} className="w-full sm:w-auto">
        {children}
      </Button>
      {state.status === "error" && state.message ? (
        <Alert tone="error" className="mt-2">
          {state.message}
        </Alert>
      ) : null}
    </form>
  );
}
