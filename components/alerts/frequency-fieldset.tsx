import { ALERT_FREQUENCIES, type AlertFrequency } from "@/lib/alerts/rules";

export const FREQUENCY_TEXT: Record<AlertFrequency, { label: string; hint: string }> = {
  instant: { label: "Instant", hint: "Within minutes of a new match." },
  daily: { label: "Daily", hint: "One e-mail a day with the new matches." },
  weekly: { label: "Weekly", hint: "One round-up a week." },
};

interface FrequencyFieldsetProps {
  /** Prefix for element ids, unique on the page. */
  idPrefix: string;
  legend: string;
  error?: string;
  className?: string;
  /** Controlled use (TanStack Query forms)… */
  value?: AlertFrequency;
  onChange?: (frequency: AlertFrequency) => void;
  /** …or uncontrolled use (server-action forms). */
  defaultValue?: AlertFrequency;
}

/** The instant / daily / weekly choice of an alert, as one labelled radio group. */
export function FrequencyFieldset({
  idPrefix,
  legend,
  error,
  className,
  value,
  onChange,
  defaultValue,
}: FrequencyFieldsetProps) {
  const errorId = `${idPrefix}-error`;
  return (
    <fieldset
      className={["space-y-2", className].filter(Boolean).join(" ")}
      aria-describedby={error ? errorId : undefined}
    >
      <legend className="text-sm font-medium text-slate-900">{legend}</legend>
      <div className="grid gap-2 sm:grid-cols-3">
        {ALERT_FREQUENCIES.map((f) => (
          <label
            key={f}
            className="flex min-h-12 cursor-pointer items-start gap-3 rounded-lg p-3 ring-1 ring-slate-300 ring-inset has-checked:bg-indigo-50 has-checked:ring-2 has-checked:ring-indigo-600"
          >
            <input
              type="radio"
              name="frequency"
              value={f}
              {...(onChange
                ? { checked: value === f, onChange: () => onChange(f) }
                : { defaultChecked: defaultValue === f })}
              aria-describedby={`${idPrefix}-${f}-hint`}
              className="mt-0.5 size-4 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            />
            <span>
              <span className="block text-sm font-medium text-slate-900">{FREQUENCY_TEXT[f].label}</span>
              <span id={`${idPrefix}-${f}-hint`} className="block text-sm text-slate-600">
                {FREQUENCY_TEXT[f].hint}
              </span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={errorId} role="alert" className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
