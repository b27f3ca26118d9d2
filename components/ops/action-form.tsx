"use client";

import { useActionState, type ReactNode } from "react";
import { Alert, Button, type ButtonVariant } from "@/components/ui";
import type { FormState } from "@/lib/http";

const IDLE: FormState = { status: "idle" };

export interface ActionFormField {
  name: string;
  label: string;
  type?: "text" | "number";
  min?: number;
  max?: number;
  defaultValue?: string;
  required?: boolean;
  hint?: string;
}

/**
 * A cockpit form for one server action: labelled inputs, hidden fields, a submit button, and
 * the outcome (or each field's error) announced beside it.
 */
export function ActionForm({
  action,
  fields = [],
  hidden = {},
  submit,
  variant = "secondary",
  title,
  children,
}: {
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
  fields?: ActionFormField[];
  hidden?: Record<string, string>;
  submit: string;
  variant?: ButtonVariant;
  title?: string;
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  return (
    <form
      action={formAction}
      className="space-y-2 rounded-lg bg-white p-3 ring-1 ring-slate-200"
      aria-label={title ?? submit}
    >
      {title ? <h3 className="text-sm font-semibold text-slate-900">{title}</h3> : null}
      {children}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) => {
        const id = `${submit.replace(/\W+/g, "-").toLowerCase()}-${field.name}`;
        const error = state.fieldErrors?.[field.name];
        return (
          <div key={field.name} className="flex flex-col gap-1">
            <label htmlFor={id} className="text-sm font-medium text-slate-900">
              {field.label}
            </label>
            <input
              id={id}
              name={field.name}
              type={field.type ?? "text"}
              min={field.min}
              max={field.max}
              required={field.required}
              defaultValue={state.values?.[field.name] ?? field.defaultValue}
              autoComplete="off"
              aria-invalid={error ? true : undefined}
              aria-describedby={error || field.hint ? `${id}-note` : undefined}
              className="h-10 rounded-md border border-slate-300 px-3 text-sm"
            />
            {error || field.hint ? (
              <p id={`${id}-note`} className={`text-xs ${error ? "text-red-700" : "text-slate-600"}`}>
                {error ?? field.hint}
              </p>
            ) : null}
          </div>
        );
      })}
      <Button type="submit" variant={variant} pending={pending}>
        {submit}
      </Button>
      {state.message ? <Alert tone={state.status === "error" ? "error" : "success"}>{state.message}</Alert> : null}
    </form>
  );
}
