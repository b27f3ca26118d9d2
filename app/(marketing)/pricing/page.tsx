import type { Metadata } from "next";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { PLANS, formatMonthlyPrice, type Plan } from "@/lib/plans";

export const metadata: Metadata = {
  title: "Pricing",
  description:
    "Beacon plans: a free plan to try it, and paid plans with more alerts, seats and API calls. 7-day trial on paid plans.",
};

const count = (n: number) => n.toLocaleString("en-US");

// Pro is the plan built for teams running a pipeline; it is highlighted, not claimed as "most popular".
const HIGHLIGHTED_PLAN = "pro";

const LIMIT_ROWS: { label: string; value: (plan: Plan) => string }[] = [
  { label: "Price per month", value: (plan) => formatMonthlyPrice(plan) },
  { label: "API calls per month", value: (plan) => count(plan.monthlyApiQuota) },
  { label: "Saved alerts", value: (plan) => count(plan.maxAlerts) },
  { label: "Team seats", value: (plan) => count(plan.maxSeats) },
  { label: "Bid pipeline, deadline reminders, calendar feed", value: (plan) => (plan.pipeline ? "Yes" : "—") },
  {
    label: "“What changed” e-mails on followed notices",
    value: (plan) => (plan.changeTracking ? "Yes" : "—"),
  },
  { label: "API requests per minute", value: (plan) => count(plan.requestsPerMinute) },
  { label: "7-day free trial", value: (plan) => (isFree(plan) ? "—" : "Yes") },
];

function isFree(plan: Plan) {
  return plan.monthlyPriceCents === 0;
}

export default function PricingPage() {
  return (
    <main id="main" className="mx-auto w-full max-w-6xl px-4 py-16 sm:px-6 sm:py-20">
      <div className="max-w-2xl">
        <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">Pricing</h1>
        <p className="mt-4 text-lg text-slate-600">
          Start free and upgrade when Beacon is finding you work. Paid plans include a 7-day trial, once per
          organisation. Prices in US dollars; cancel any time.
        </p>
      </div>

      <ul className="mt-12 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
        {PLANS.map((plan) => (
          <li key={plan.id}>
            <PlanCard plan={plan} highlighted={plan.id === HIGHLIGHTED_PLAN} />
          </li>
        ))}
      </ul>

      <aside aria-labelledby="credits-title" className="mt-10 rounded-xl bg-indigo-50 p-6 ring-1 ring-indigo-200">
        <h2 id="credits-title" className="text-lg font-semibold text-indigo-950">
          Busy month? Add a credit pack.
        </h2>
        <p className="mt-2 text-indigo-900">
          A credit pack adds {count(1_000)} API call credits to your organisation, bought once from the billing page —
          no plan change needed. Credits are used only after your plan’s monthly calls run out, carry over from month to
          month and never expire.
        </p>
      </aside>

      <section aria-labelledby="compare-title" className="mt-16">
        <h2 id="compare-title" className="text-2xl font-semibold tracking-tight text-slate-900">
          Compare plans
        </h2>
        {/* The table keeps its columns on phones and scrolls sideways; tabIndex lets keyboards scroll it. */}
        <div
          role="region"
          aria-labelledby="compare-title"
          tabIndex={0}
          className="relative mt-6 overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200"
        >
          <table className="w-full min-w-[36rem] text-left text-sm">
            <caption className="sr-only">Limits of each Beacon plan</caption>
            <thead className="bg-slate-50 text-slate-900">
              <tr>
                <th scope="col" className="px-4 py-3 font-semibold">
                  Limit
                </th>
                {PLANS.map((plan) => (
                  <th key={plan.id} scope="col" className="px-4 py-3 text-right font-semibold">
                    {plan.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {LIMIT_ROWS.map((row) => (
                <tr key={row.label}>
                  <th scope="row" className="px-4 py-3 font-medium text-slate-700">
                    {row.label}
                  </th>
                  {PLANS.map((plan) => (
                    <td key={plan.id} className="px-4 py-3 text-right text-slate-900 tabular-nums">
                      {row.value(plan)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="mt-4 text-sm text-slate-600">
          API quotas reset each month; unused monthly calls do not carry over, credits do. When both run out, API calls
          answer “quota exhausted” until the quota resets or you add a credit pack.
        </p>
      </section>
    </main>
  );
}

function PlanCard({ plan, highlighted }: { plan: Plan; highlighted: boolean }) {
  const free = isFree(plan);
  const price = formatMonthlyPrice(plan);
  return (
    <article
      aria-labelledby={`plan-${plan.id}`}
      className={`flex h-full flex-col rounded-2xl bg-white p-6 shadow-sm ${highlighted ? "ring-2 ring-indigo-600" : "ring-1 ring-slate-200"}`}
    >
      <div className="flex items-center justify-between gap-2">
        <h2 id={`plan-${plan.id}`} className="text-lg font-semibold text-slate-900">
          {plan.name}
        </h2>
        {highlighted ? (
          <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700 ring-1 ring-indigo-200">
            Best for teams
          </span>
        ) : null}
      </div>
      <p className="mt-2 text-sm text-slate-600">{plan.tagline}</p>
      <p className="mt-6 flex items-baseline gap-1">
        <span className="text-4xl font-bold tracking-tight text-slate-900">{price}</span>
        {plan.monthlyPriceCents === null ? null : <span className="text-sm text-slate-600">/month</span>}
      </p>
      <Link
        href={free ? "/sign-up" : `/sign-up?plan=${plan.id}`}
        className={buttonClasses(highlighted ? "primary" : "secondary", "md", "mt-6 w-full")}
        aria-label={free ? `Start free on the ${plan.name} plan` : `Start 7-day trial of the ${plan.name} plan`}
      >
        {free ? "Start free" : "Start 7-day trial"}
      </Link>
      <dl className="mt-6 grid grid-cols-2 gap-3 border-y border-slate-100 py-4 text-sm">
        <div>
          <dt className="text-slate-500">API calls / month</dt>
          <dd className="font-semibold text-slate-900 tabular-nums">{count(plan.monthlyApiQuota)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Alerts</dt>
          <dd className="font-semibold text-slate-900 tabular-nums">{count(plan.maxAlerts)}</dd>
        </div>
      </dl>
      <ul className="mt-4 space-y-2 text-sm text-slate-700">
        {plan.features.map((feature) => (
          <li key={feature} className="flex gap-2">
            <CheckIcon />
            <span>{feature}</span>
          </li>
        ))}
      </ul>
    </article>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0 text-indigo-600" fill="currentColor" aria-hidden="true">
      <path
        fillRule="evenodd"
        d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z"
        clipRule="evenodd"
      />
    </svg>
  );
}
