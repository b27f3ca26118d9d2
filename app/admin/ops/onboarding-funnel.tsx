import type { OpsOverview } from "@/lib/ops";

const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : "—");

/** Sign-up → profile → first alert → paid for the organisations created in the window (server-rendered). */
export function OnboardingFunnel({ funnel }: { funnel: OpsOverview["business"]["funnel"] }) {
  const steps = [
    ["Signed up", funnel.signed_up],
    ["Profile completed", funnel.profile],
    ["First alert saved", funnel.first_alert],
    ["Paid", funnel.paid],
  ] as const;
  return (
    <>
      <h2 className="mb-2 text-base font-semibold text-slate-900">
        Onboarding funnel (organisations created in the last {funnel.window_days} days)
      </h2>
      <ol className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4" data-testid="funnel">
        {steps.map(([label, count]) => (
          <li key={label} className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
            <p className="text-sm text-slate-600">{label}</p>
            <p className="mt-1 text-2xl font-semibold text-slate-900">
              {count.toLocaleString("en-US")}{" "}
              <span className="text-sm font-normal text-slate-600">({pct(count, funnel.signed_up)})</span>
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}
