"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { createFirstAlertAction } from "@/app/(app)/onboarding/actions";
import { FrequencyFieldset } from "@/components/alerts/frequency-fieldset";
import { useInlineValidation } from "@/components/forms/use-inline-validation";
import { Alert, Button, Field, Input, buttonClasses } from "@/components/ui";
import { ALERT_FREQUENCIES, type AlertFrequency } from "@/lib/alerts/rules";
import type { FormState } from "@/lib/http";
import { FIRST_ALERT_RULES } from "@/lib/onboarding/rules";

const IDLE: FormState = { status: "idle" };

/** Step 2's form; `summary` (the profile's filters) comes rendered from the server (./alert-step.tsx). */
export function FirstAlertForm({
  defaults,
  summary,
  back,
}: {
  defaults: { name: string; deliveryEmail: string };
  summary: ReactNode;
  /** The profile step's page. */
  back: string;
}) {
  const [state, action, pending] = useActionState(createFirstAlertAction, IDLE);
  const { onBlur, errorFor, reset } = useInlineValidation(FIRST_ALERT_RULES, state.fieldErrors);
  const v = state.values ?? {};
  // Echoed form values are strings; only a known frequency preselects a choice.
  const frequency = (ALERT_FREQUENCIES as readonly string[]).includes(v.frequency ?? "")
    ? (v.frequency as AlertFrequency)
    : "daily";

  return (
    <form action={action} onBlur={onBlur} onSubmit={reset} noValidate className="space-y-6">
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      {summary}
      <Field id="name" label="Alert name" error={errorFor("name")} required>
        <Input name="name" defaultValue={v.name ?? defaults.name} maxLength={80} required />
      </Field>
      <FrequencyFieldset
        idPrefix="frequency"
        legend="How often should we e-mail you?"
        error={errorFor("frequency")}
        defaultValue={frequency}
      />
      <Field
        id="deliveryEmail"
        label="Send alerts to"
        hint="Any address: yours, or a shared capture inbox."
        error={errorFor("deliveryEmail")}
        required
      >
        <Input
          name="deliveryEmail"
          type="email"
          inputMode="email"
          autoComplete="email"
          defaultValue={v.deliveryEmail ?? defaults.deliveryEmail}
          required
        />
      </Field>
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-between">
        <Link href={back} className={buttonClasses("secondary", "md", "w-full sm:w-auto")}>
          Back
        </Link>
        <Button type="submit" pending={pending} className="w-full sm:w-auto">
          Create alert and see matches
        </Button>
      </div>
    </form>
  );
}
