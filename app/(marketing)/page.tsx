import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { planById } from "@/lib/plans";
import { SNAPSHOT_LABEL } from "@/lib/opportunities";

const STEPS = [
  {
    title: "Describe your business",
    body: "Pick your NAICS codes from the official 2022 list and add the keywords you bid on. Add set-asides and states if they matter to you.",
  },
  {
    title: "Save an alert",
    body: "Turn that profile into a saved search. Choose instant, daily or weekly e-mail, and where it should go.",
  },
  {
    title: "Get matches",
    body: "See the open opportunities that fit right away, ranked, with the words that matched highlighted. New ones arrive in your inbox.",
  },
];

const FACTS = [
  { value: "Hourly", label: "refresh of contract opportunities from SAM.gov’s public API" },
  { value: "901", label: "notices posted to SAM.gov on a single day (24 April 2026) — Beacon reads them all" },
  { value: "2,125", label: "NAICS 2022 codes to choose from; 5415 also matches 541511, 541512 and the rest" },
  { value: "< 1 min", label: "from a new notice arriving to your instant alert e-mail" },
];

// A real SAM.gov notice from the bundled public dataset, shaped like an API answer.
const SAMPLE_RESPONSE = `{
  "data": [{
    "notice_id": "e01dfa2af579422784f2cb367fa98a6e",
    "title": "Industry Day and Presolicitation Notice HITS-UIII",
    "agency": "DEPT OF DEFENSE",
    "type": "Presolicitation",
    "naics_code": "541512",
    "state": "MS",
    "response_deadline": "2026-06-10T21:00:00Z",
    "url": "https://sam.gov/workspace/contract/opp/e01dfa2af579422784f2cb367fa98a6e/view"
  }],
  "next_cursor": "…"
}`;

export default function LandingPage() {
  const free = planById("free");
  const faqs = [
    {
      q: "Where do the opportunities come from?",
      a: "From SAM.gov, the US government’s official system for federal contract opportunities. Beacon pulls new and updated notices every hour and keeps each one current by its notice id.",
    },
    {
      q: "What is a NAICS code, and which should I pick?",
      a: "NAICS codes classify industries. Search the picker by title (for example “computer systems design”). Shorter codes are broader: 5415 covers every computer services code beneath it.",
    },
    {
      q: "How do alerts work?",
      a: "An alert is a saved search. Instant alerts e-mail you within a minute of a matching notice arriving; daily and weekly alerts send one digest per run with only what is new since the last one — never the same notice twice.",
    },
    {
      q: "Can I use the data in my own tools?",
      a: `Yes. Every plan includes API calls — ${free.monthlyApiQuota.toLocaleString("en-US")} a month on the free plan. Create a key in settings; it is shown once and stored hashed. Busy month? Add a credit pack of 1,000 calls.`,
    },
    {
      q: "Is there a free trial?",
      a: "The free plan is free for as long as you like. Paid plans start with a 7-day trial, once per organisation.",
    },
    {
      q: "Can I cancel any time?",
      a: "Yes, from the billing page. You keep read access to your alerts and matches after a paid plan ends.",
    },
  ];

  return (
    <main id="main">
      <section aria-labelledby="hero-title" className="bg-linear-to-b from-white to-slate-50">
        <div className="mx-auto grid max-w-6xl items-center gap-12 px-4 py-16 sm:px-6 sm:py-24 lg:grid-cols-2">
          <div>
            <p className="text-sm font-semibold text-indigo-600">For small businesses selling to the US government</p>
            <h1
              id="hero-title"
              className="mt-3 text-4xl font-bold tracking-tight text-balance text-slate-900 sm:text-5xl"
            >
              Find the federal contracts that fit your business
            </h1>
            <p className="mt-6 text-lg text-slate-600">
              Tell Beacon your NAICS codes and keywords. See matching SAM.gov opportunities instantly, get new ones by
              e-mail every day, and pull them into your own tools with the API.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              <Link href="/sign-up" className={buttonClasses("primary", "lg")}>
                Start free
              </Link>
              <Link href="/pricing" className={buttonClasses("secondary", "lg")}>
                See pricing
              </Link>
            </div>
            <p className="mt-4 text-sm text-slate-500">
              Free plan: {free.maxAlerts} alert and {free.monthlyApiQuota.toLocaleString("en-US")} API calls a month. No
              card needed.
            </p>
          </div>
          <MatchPreview />
        </div>
      </section>

      <section aria-labelledby="how-title" className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
        <h2 id="how-title" className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">
          How it works
        </h2>
        <ol className="mt-8 grid gap-6 md:grid-cols-3">
          {STEPS.map((step, index) => (
            <li key={step.title} className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
              <span
                className="flex size-9 items-center justify-center rounded-full bg-indigo-600 text-sm font-semibold text-white"
                aria-hidden="true"
              >
                {index + 1}
              </span>
              <h3 className="mt-4 text-lg font-semibold text-slate-900">
                <span className="sr-only">Step {index + 1}: </span>
                {step.title}
              </h3>
              <p className="mt-2 text-slate-600">{step.body}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="facts-title" className="bg-slate-900 text-white">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <h2 id="facts-title" className="text-2xl font-semibold tracking-tight sm:text-3xl">
            Built on the official source
          </h2>
          <dl className="mt-10 grid gap-8 sm:grid-cols-2 lg:grid-cols-4">
            {FACTS.map((fact) => (
              <div key={fact.value} className="flex flex-col-reverse gap-2 border-l-2 border-indigo-400 pl-4">
                <dt className="text-sm text-slate-300">{fact.label}</dt>
                <dd className="text-3xl font-bold tracking-tight">{fact.value}</dd>
              </div>
            ))}
          </dl>
        </div>
      </section>

      <section aria-labelledby="api-title" className="mx-auto grid max-w-6xl gap-10 px-4 py-16 sm:px-6 lg:grid-cols-5">
        <div className="lg:col-span-2">
          <h2 id="api-title" className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">
            An API when you outgrow the inbox
          </h2>
          <p className="mt-4 text-slate-600">
            Search the same opportunities from your CRM, spreadsheet or bid pipeline. Full-text search, NAICS prefix
            filters, states, set-asides and date ranges, with cursor pagination.
          </p>
          <Link href="/pricing" className={buttonClasses("secondary", "md", "mt-6")}>
            Compare API quotas
          </Link>
        </div>
        <div className="min-w-0 space-y-3 lg:col-span-3">
          <CodeBlock label="Request">
            {
              'curl -H "Authorization: Bearer bk_live_…" "https://beacon.example/api/v1/opportunities?q=cybersecurity&naics=5415"'
            }
          </CodeBlock>
          <CodeBlock label="Response">{SAMPLE_RESPONSE}</CodeBlock>
        </div>
      </section>

      <section aria-labelledby="faq-title" className="mx-auto max-w-3xl px-4 py-16 sm:px-6">
        <h2 id="faq-title" className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">
          Questions
        </h2>
        <div className="mt-8 divide-y divide-slate-200 rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          {faqs.map((faq) => (
            <details key={faq.q} className="group px-5 py-4">
              <summary className="flex items-center justify-between gap-4 rounded font-medium text-slate-900">
                {faq.q}
                <span className="text-xl text-slate-400 transition-transform group-open:rotate-45" aria-hidden="true">
                  +
                </span>
              </summary>
              <p className="mt-3 text-slate-600">{faq.a}</p>
            </details>
          ))}
        </div>
      </section>

      <section aria-labelledby="cta-title" className="bg-indigo-600">
        <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-14 sm:flex-row sm:items-center sm:justify-between sm:px-6">
          <h2 id="cta-title" className="text-2xl font-semibold tracking-tight text-white">
            See your first matches in minutes.
          </h2>
          <Link href="/sign-up" className={buttonClasses("secondary", "lg", "self-start sm:self-auto")}>
            Start free
          </Link>
        </div>
      </section>
    </main>
  );
}

function MatchPreview() {
  return (
    <figure className="rounded-2xl bg-white p-5 shadow-lg ring-1 ring-slate-200 sm:p-6">
      <div className="flex flex-wrap items-center gap-2 text-xs font-medium">
        <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-indigo-700 ring-1 ring-indigo-200">
          NAICS 5415 → 541512
        </span>
        <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-emerald-800 ring-1 ring-emerald-200">
          keyword: cybersecurity
        </span>
      </div>
      <p className="mt-4 text-lg font-semibold text-slate-900">Industry Day and Presolicitation Notice HITS-UIII</p>
      <p className="mt-1 text-sm text-slate-600">Dept. of Defense · Presolicitation · Mississippi</p>
      <dl className="mt-4 grid grid-cols-2 gap-3 text-sm">
        <div>
          <dt className="text-slate-500">Posted</dt>
          <dd className="font-medium text-slate-900">{SNAPSHOT_LABEL}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Responses due</dt>
          <dd className="font-medium text-slate-900">10 Jun 2026</dd>
        </div>
      </dl>
      <figcaption className="mt-5 border-t border-slate-100 pt-3 text-xs text-slate-500">
        A real SAM.gov notice, as Beacon shows a match.
      </figcaption>
    </figure>
  );
}

function CodeBlock({ label, children }: { label: string; children: string }) {
  return (
    <figure className="overflow-hidden rounded-xl bg-slate-900 shadow-sm ring-1 ring-slate-800">
      <figcaption className="border-b border-slate-800 px-4 py-2 text-xs font-medium text-slate-400">
        {label}
      </figcaption>
      {/* tabIndex lets keyboard users scroll long lines horizontally. */}
      <pre tabIndex={0} className="overflow-x-auto p-4 text-sm leading-relaxed text-slate-100">
        <code className="font-mono">{children}</code>
      </pre>
    </figure>
  );
}
