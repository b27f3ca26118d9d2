import Link from "next/link";
import type { ReactNode } from "react";
import { Alert, buttonClasses } from "@/components/ui";
import type { AlertFrequency } from "@/lib/alerts/rules";
import { onboardingPath } from "@/lib/onboarding";
import { FREQUENCY_TEXT } from "@/components/alerts/frequency-fieldset";
import { FirstAlertForm } from "./first-alert-form";

// A server component: the saved alert and the filters render here; only the form is client code.

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
  /** The profile's filters in words (<FiltersSummary>). */
  filters: ReactNode;
  existing: ExistingAlert | null;
}) {
  const summary = (
    <section aria-labelledby="alert-filters" className="rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="alert-filters" className="text-sm font-semibold text-slate-900">
          What it looks for (from your profile)
        </h2>
        <Link
          href={onboardingPath("profile")}
          className="text-sm font-medium text-indigo-700 underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
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
        <Link href={onboardingPath("matches")} className={buttonClasses("primary", "md", "w-full sm:w-auto")}>
          See your matches
        </Link>
      </div>
    );
  }

  return <FirstAlertForm defaults={defaults} summary={summary} back={onboardingPath("profile")} />;
}
