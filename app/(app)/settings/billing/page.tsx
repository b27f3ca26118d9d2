import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/forms/action-button";
import { Alert, Badge, Card, CardBody, CardHeader, PageHeader, buttonClasses, type BadgeTone } from "@/components/ui";
import { requireMember } from "@/lib/auth/next";
import { PLANS, TRIAL_DAYS, formatMonthlyPrice, planById } from "@/lib/plans";
import { billingOverview } from "@/lib/billing";
import { env } from "@/lib/env";
import { can } from "@/lib/orgs";
import { SettingsNav } from "../settings-nav";
import { buyCreditsAction, openPortalAction, pauseAction, resumeAction, subscribeAction } from "./actions";
import { formatDate } from "@/lib/format";

export const metadata: Metadata = { title: "Billing" };

const STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  trialing: { label: "Trial", tone: "indigo" },
  active: { label: "Active", tone: "success" },
  past_due: { label: "Payment failed", tone: "danger" },
  unpaid: { label: "Unpaid", tone: "danger" },
  paused: { label: "Paused", tone: "warning" },
  canceled: { label: "Canceled", tone: "neutral" },
  incomplete: { label: "Incomplete", tone: "warning" },
  incomplete_expired: { label: "Expired", tone: "neutral" },
};

const LIVE = new Set(["trialing", "active", "past_due", "unpaid", "paused", "incomplete"]);

const day = (date: Date | null) => formatDate(date);

const FLASH: Record<string, { tone: "success" | "info" | "warning"; title: string; body: string }> = {
  "checkout=success": {
    tone: "success",
    title: "Thank you: your purchase is active.",
    body: "The plan and limits below are already updated.",
  },
  "checkout=pending": {
    tone: "info",
    title: "Payment received by Stripe, confirming…",
    body: "This usually takes a few seconds. Refresh this page in a moment.",
  },
  "checkout=canceled": { tone: "info", title: "Checkout was canceled.", body: "Nothing was charged." },
  "checkout=unknown": {
    tone: "warning",
    title: "We could not find that checkout.",
    body: "If you were charged, your plan will update shortly; otherwise, start again below.",
  },
  "paused=1": {
    tone: "info",
    title: "Subscription paused.",
    body: "You keep read access; paid features return when you resume.",
  },
  "resumed=1": { tone: "success", title: "Subscription resumed.", body: "Paid features are back." },
};

export default async function BillingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { viewer, ctx } = await requireMember("/settings/billing");
  const params = await searchParams;
  const overview = await billingOverview(ctx);
  const plan = planById(overview.plan);
  const sub = overview.subscription;
  const manage = can(viewer.org.role, "billing:manage");
  const live = sub && LIVE.has(sub.status) ? sub : null;
  const flashKey = ["checkout", "paused", "resumed"]
    .map((k) => (typeof params[k] === "string" ? `${k}=${params[k]}` : ""))
    .find((k) => k in FLASH);
  const flash = flashKey ? FLASH[flashKey] : undefined;
  const status = live ? (STATUS[live.status] ?? { label: live.status, tone: "neutral" as const }) : null;
  const usedPct =
    overview.usage.quotaMonthly > 0
      ? Math.min(100, Math.round((overview.usage.used / overview.usage.quotaMonthly) * 100))
      : 0;
  const creditsOn = Boolean(env().STRIPE_PRICE_CREDITS);

  return (
    <>
      <PageHeader title="Settings" description={viewer.org.name} />
      <SettingsNav current="/settings/billing" />
      <div className="space-y-6">
        {flash ? (
          <Alert tone={flash.tone} title={flash.title}>
            {flash.body}
          </Alert>
        ) : null}
        {!overview.stripeConfigured ? (
          <Alert tone="info" title="Payments are not set up on this installation">
            STRIPE_SECRET_KEY is not configured, so plans cannot be bought here. Everything on the free plan works.
          </Alert>
        ) : null}
        {live?.status === "past_due" || live?.status === "unpaid" ? (
          <Alert tone="error" title="Your last payment failed">
            {manage
              ? "Update your card in the billing portal to keep your plan."
              : "Ask an owner, admin or billing member to update the card."}
          </Alert>
        ) : null}

        <Card>
          <CardHeader title="Current plan" />
          <CardBody className="space-y-3">
            <p className="flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900">
              <span data-testid="current-plan">{plan.name}</span>
              <span className="text-base font-normal text-slate-600">· {formatMonthlyPrice(plan)} / month</span>
              {status ? <Badge tone={status.tone}>{status.label}</Badge> : null}
            </p>
            {live ? (
              <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
                {live.plan && live.plan !== plan.id ? (
                  <div>
                    <dt className="inline text-slate-600">Subscribed plan: </dt>
                    <dd className="inline text-slate-900">{planById(live.plan).name} (paid features suspended)</dd>
                  </div>
                ) : null}
                {live.status === "trialing" ? (
                  <div>
                    <dt className="inline text-slate-600">Trial ends: </dt>
                    <dd className="inline text-slate-900">{day(live.trialEnd)}</dd>
                  </div>
                ) : null}
                <div>
                  <dt className="inline text-slate-600">{live.cancelAtPeriodEnd ? "Ends on: " : "Renews on: "}</dt>
                  <dd className="inline text-slate-900">{day(live.currentPeriodEnd)}</dd>
                </div>
                {live.status === "paused" && live.pauseResumesAt ? (
                  <div>
                    <dt className="inline text-slate-600">Resumes on: </dt>
                    <dd className="inline text-slate-900">{day(live.pauseResumesAt)}</dd>
                  </div>
                ) : null}
              </dl>
            ) : null}
            {live?.cancelAtPeriodEnd ? (
              <Alert tone="warning" title={`Your subscription ends on ${day(live.currentPeriodEnd)}.`}>
                You keep {planById(live.plan ?? "free").name} until then, then move to Free. Renew it in the billing
                portal.
              </Alert>
            ) : null}
            <ul className="list-inside list-disc text-sm text-slate-700">
              <li>{plan.monthlyApiQuota.toLocaleString("en-US")} API calls a month</li>
              <li>Up to {plan.maxAlerts.toLocaleString("en-US")} alerts</li>
              <li>Up to {plan.maxSeats.toLocaleString("en-US")} seats</li>
            </ul>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Usage this period" />
          <CardBody className="space-y-2">
            <p className="text-sm text-slate-700">
              <span className="font-semibold text-slate-900">{overview.usage.used.toLocaleString("en-US")}</span> of{" "}
              {overview.usage.quotaMonthly.toLocaleString("en-US")} API calls used ·{" "}
              <span data-testid="quota-remaining">{overview.usage.quotaRemaining.toLocaleString("en-US")}</span> left ·
              resets on {day(overview.usage.periodEnd)}
            </p>
            <div
              className="h-2 w-full overflow-hidden rounded-full bg-slate-100"
              role="progressbar"
              aria-label="API calls used this period"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={usedPct}
            >
              <div
                className={`h-full ${usedPct >= 90 ? "bg-red-500" : "bg-indigo-600"}`}
                style={{ width: `${usedPct}%` }}
              />
            </div>
            <p className="text-sm text-slate-700">
              Credits:{" "}
              <span data-testid="credits-remaining" className="font-semibold text-slate-900">
                {overview.usage.creditsRemaining.toLocaleString("en-US")}
              </span>{" "}
              left · used once this month’s calls run out · never expire
            </p>
          </CardBody>
        </Card>

        {!manage ? (
          <p className="text-sm text-slate-600">
            You are {viewer.org.role} in {viewer.org.name}. Owners, admins and billing members manage the subscription.
          </p>
        ) : !overview.stripeConfigured ? null : live ? (
          <Card>
            <CardHeader title="Manage subscription" />
            <CardBody className="space-y-4">
              <p className="text-sm text-slate-700">
                Change plan or card, download invoices, or cancel in Stripe&apos;s secure billing portal.
              </p>
              <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap">
                <ActionButton action={openPortalAction}>Open billing portal</ActionButton>
                {live.status === "paused" ? (
                  <ActionButton action={resumeAction} variant="secondary">
                    Resume subscription
                  </ActionButton>
                ) : live.status === "trialing" || live.status === "active" || live.status === "past_due" ? (
                  <ActionButton action={pauseAction} variant="secondary">
                    Pause subscription
                  </ActionButton>
                ) : null}
                {creditsOn && plan.id !== "free" ? (
                  <ActionButton action={buyCreditsAction} variant="secondary">
                    Buy 1,000 extra API calls
                  </ActionButton>
                ) : null}
              </div>
            </CardBody>
          </Card>
        ) : (
          <Card>
            <CardHeader title="Upgrade" />
            <CardBody>
              {overview.trialAvailable ? (
                <p className="mb-4 text-sm text-emerald-800">
                  Your first paid plan starts with a {TRIAL_DAYS}-day free trial. Cancel any time before it ends and pay
                  nothing.
                </p>
              ) : null}
              <ul className="grid gap-4 sm:grid-cols-3">
                {PLANS.filter((p) => p.id !== "free").map((p) => (
                  <li key={p.id} className="flex flex-col rounded-lg p-4 ring-1 ring-slate-200">
                    <h3 className="font-semibold text-slate-900">{p.name}</h3>
                    <p className="text-sm text-slate-600">{formatMonthlyPrice(p)} / month</p>
                    <p className="mt-1 flex-1 text-sm text-slate-700">
                      {p.monthlyApiQuota.toLocaleString("en-US")} API calls · {p.maxAlerts.toLocaleString("en-US")}{" "}
                      alerts · {p.maxSeats.toLocaleString("en-US")} seats
                    </p>
                    <ActionButton action={subscribeAction} fields={{ plan: p.id }} className="mt-3">
                      {overview.trialAvailable ? `Start ${p.name} trial` : `Subscribe to ${p.name}`}
                    </ActionButton>
                  </li>
                ))}
              </ul>
              <Link href="/pricing" className={`${buttonClasses("ghost", "sm")} mt-4`}>
                Compare plans in detail
              </Link>
            </CardBody>
          </Card>
        )}
      </div>
    </>
  );
}
