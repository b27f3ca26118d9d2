"use client";

import Link from "next/link";
import { useActionState } from "react";
import { createFirstAlertAction } from "@/app/(app)/onboarding/actions";
import { useInlineValidation } from "@/components/forms/use-inline-validation";
import { Alert, Button, Field, Input, buttonClasses } from "@/components/ui";
import type { FormState } from "@/lib/http/form-state";
import { ALERT_FREQUENCIES, firstAlertSchema } from "@/lib/onboarding/schemas";
import { FiltersSummary, type FiltersSummaryProps } from "./filters-summary";

const IDLE: FormState = { status: "idle" };

const FREQUENCY_TEXT: Record<(typeof ALERT_FREQUENCIES)[number], { label: string; hint: string }> = {
  instant: { label: "Instant", hint: "Within minutes of a new match." },
  daily: { label: "Daily", hint: "One e-mail each morning with yesterday's matches." },
  weekly: { label: "Weekly", hint: "One round-up a week." },
};

export interface ExistingAlert {
  name: string;
  frequency: (typeof ALERT_FREQUENCIES)[number];
  deliveryEmail: string;
}

/** Step 2: the first alert, its filters taken from the profile. Once made, it is shown, not re-made. */
export function AlertStep({
  defaults,
  filters,
  existing,
}: {
  defaults: { name: string; deliveryEmail: string };
  filters: FiltersSummaryProps;
  existing: ExistingAlert | null;
}) {
  const [state, action, pending] = useActionState(createFirstAlertAction, IDLE);
  const { onBlur, errorFor, reset } = useInlineValidation(firstAlertSchema, state.fieldErrors);
  const v = state.values ?? {};
  const frequency = v.frequency ?? "daily";

  const summary = (
    <section aria-labelledby="alert-filters" className="rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="alert-filters" className="text-sm font-semibold text-slate-900">
          What it looks for (from your profile)
        </h2>
        <Link href="/onboarding?step=profile" className="text-sm font-medium text-indigo-700 underline focus-visible:outline-2 focus-visible:outline-indigo-600">
          Change profile
        </Link>
      </div>
      <FiltersSummary {...filters} />
    </section>
  );

  if (existing) {
    return (
      <div className="space-y-6">
        <Alert tone="success" title={`Your alert “${existing.name}” is saved.`}>
          {FREQUENCY_TEXT[existing.frequency].label} e-mails go to {existing.deliveryEmail}.
        </Alert>
        {summary}
        <Link href="/onboarding?step=matches" className={buttonClasses("primary", "md", "w-full sm:w-auto")}>
          See your matches
        </Link>
      </div>
    );
  }

  return (
    <form action={action} onBlur={onBlur} onSubmit={reset} noValidate className="space-y-6">
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      {summary}
      <Field id="name" label="Alert name" error={errorFor("name")} required>
        <Input name="name" defaultValue={v.name ?? defaults.name} maxLength={80} required />
      </Field>
      <fieldset className="space-y-2" aria-describedby={errorFor("frequency") ? "frequency-error" : undefined}>
        <legend className="text-sm font-medium text-slate-900">How often should we e-mail you?</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {ALERT_FREQUENCIES.map((f) => (
            <label
              key={f}
              className="flex min-h-12 cursor-pointer items-start gap-3 rounded-lg p-3 ring-1 ring-slate-300 has-checked:bg-indigo-50 has-checked:ring-2 has-checked:ring-indigo-600"
            >
              <input
                type="radio"
                name="frequency"
                value={f}
                defaultChecked={frequency === f}
                aria-describedby={`frequency-${f}-hint`}
                className="mt-0.5 size-4 text-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
              />
              <span>
                <span className="block text-sm font-medium text-slate-900">{FREQUENCY_TEXT[f].label}</span>
                <span id={`frequency-${f}-hint`} className="block text-sm text-slate-600">
                  {FREQUENCY_TEXT[f].hint}
                </span>
              </span>
            </label>
          ))}
        </div>
        {errorFor("frequency") ? (
          <p id="frequency-error" role="alert" className="text-sm font-medium text-red-700">
            {errorFor("frequency")}
          </p>
        ) : null}
      </fieldset>
      <Field id="deliveryEmail" label="Send alerts to" hint="Any address: yours, or a shared capture inbox." error={errorFor("deliveryEmail")} required>
        <Input name="deliveryEmail" type="email" inputMode="email" autoComplete="email" defaultValue={v.deliveryEmail ?? defaults.deliveryEmail} required />
      </Field>
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-between">
        <Link href="/onboarding?step=profile" className={buttonClasses("secondary", "md", "w-full sm:w-auto")}>
          Back
        </Link>
        <Button type="submit" pending={pending} className="w-full sm:w-auto">
          Create alert and see matches
        </Button>
      </div>
    </form>
  );
}
