"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { createFirstAlertAction } from "@/app/(app)/onboarding/actions";
import { useInlineValidation } from "@/components/forms/use-inline-validation";
import { Alert, Button, Field, Input, buttonClasses } from "@/components/ui";
import type { FormState } from "@/lib/http/form-state";
import { ALERT_FREQUENCIES, type AlertFrequency } from "@/lib/alerts/rules";
import { FIRST_ALERT_RULES } from "@/lib/onboarding/rules";
import { FREQUENCY_TEXT, FrequencyFieldset } from "@/components/alerts/frequency-fieldset";

const IDLE: FormState = { status: "idle" };

export interface ExistingAlert {
  name: string;
  frequency: AlertFrequency;
  deliveryEmail: string;
}

/** Step 2: the first alert, its filters taken from the profile. Once made, it is shown, not re-made. */
export function AlertStep({
  defaults,
  filters,
  existing,
}: {
  defaults: { name: string; deliveryEmail: string };
  /** The profile's filters in words (<FiltersSummary>), rendered on the server: its label lists stay out of the page's JS. */
  filters: ReactNode;
  existing: ExistingAlert | null;
}) {
  const [state, action, pending] = useActionState(createFirstAlertAction, IDLE);
  const { onBlur, errorFor, reset } = useInlineValidation(FIRST_ALERT_RULES, state.fieldErrors);
  const v = state.values ?? {};
  // Echoed form values are strings; only a known frequency preselects a choice.
  const frequency = (ALERT_FREQUENCIES as readonly string[]).includes(v.frequency ?? "") ? (v.frequency as AlertFrequency) : "daily";

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
      {filters}
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
      <FrequencyFieldset idPrefix="frequency" legend="How often should we e-mail you?" error={errorFor("frequency")} defaultValue={frequency} />
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
