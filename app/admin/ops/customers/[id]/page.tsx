import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/forms/action-button";
import { ActionForm } from "@/components/ops/action-form";
import { Badge, Card, CardBody, CardHeader } from "@/components/ui";
import { operatorCan, operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { MAX_TRIAL_EXTENSION_DAYS } from "@/lib/billing";
import { decodeTimeCursor, isAppError } from "@/lib/http";
import { stepFromProgress } from "@/lib/onboarding";
import { maskEmail } from "@/lib/format";
import { customerDetail, customerTimeline } from "@/lib/ops";
import { customerActionFormAction, deleteCustomerAction } from "../../actions";
import { JOB_STATUS_TONE } from "../../jobs/status-tone";
import { cockpitWriteStateFor } from "../../break-glass-cookie";
import { subscriptionTone } from "../status-tone";
import { CustomerTimeline } from "./timeline";
import { DataRequestList } from "@/components/data-requests/data-request-list";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Customer" };

const when = (date: Date | null | undefined) => formatDateTime(date);

export default async function CustomerPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const operator = await requireOperator(`/admin/ops/customers/${id}`);
  const ctx = operatorContext(operator);
  const query = await searchParams;
  let detail;
  try {
    detail = await customerDetail(ctx, id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
  let cursor;
  try {
    cursor = query.tcursor ? decodeTimeCursor(query.tcursor) : undefined;
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
  const role = operator.operatorRole;
  const pii = operatorCan(role, "ops:read_pii");
  const timeline = await customerTimeline(ctx, id, { cursor, limit: 30, showPii: pii });
  const { writable } = await cockpitWriteStateFor(operator.user.id);
  const can = {
    act: writable && operatorCan(role, "customers:act"),
    money: writable && operatorCan(role, "money:act"),
    remove: writable && operatorCan(role, "customers:delete"),
    export: operatorCan(role, "customers:act"),
  };
  const { org, usage, onboarding } = detail;
  const latest = detail.subscriptions.find((s) => s.status) ?? null;
  const trialing = detail.subscriptions.find((s) => s.status === "trialing");
  const step = stepFromProgress(onboarding);
  const mutedUntil = org.opsAlertsMutedUntil && org.opsAlertsMutedUntil > new Date() ? org.opsAlertsMutedUntil : null;
  const openAlerts = detail.opsAlerts.filter((a) => a.status === "open");
  const hidden = { id: org.id };

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/ops/customers" className="text-indigo-700 underline">
          ← Customers
        </Link>
      </p>
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold text-slate-900">{org.name}</h1>
        <Badge tone="indigo">{org.plan}</Badge>
        {latest?.status ? (
          <Badge tone={subscriptionTone(latest.status)}>{latest.status.replace("_", " ")}</Badge>
        ) : (
          <Badge>no subscription</Badge>
        )}
        {openAlerts.length > 0 ? <Badge tone="danger">{openAlerts.length} open ops alert(s)</Badge> : null}
        {mutedUntil ? <Badge tone="warning">alerts muted until {when(mutedUntil)}</Badge> : null}
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card>
          <CardHeader title="Plan and billing" />
          <CardBody>
            <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-600">Stripe customer</dt>
              <dd className="break-all font-mono text-xs">{detail.stripeCustomerId ?? "—"}</dd>
              <dt className="text-slate-600">Signed up</dt>
              <dd>{when(org.createdAt)}</dd>
            </dl>
            {detail.subscriptions.length === 0 ? (
              <p className="mt-3 text-sm text-slate-600">No subscription: free plan.</p>
            ) : (
              <ul className="mt-3 space-y-2 text-sm">
                {detail.subscriptions.map((s) => (
                  <li key={s.id} className="rounded-md bg-slate-50 p-2">
                    <p className="font-mono text-xs">{s.stripeSubscriptionId}</p>
                    <p>
                      {s.plan ?? "?"} · {s.status ?? "pending"}
                      {s.cancelAtPeriodEnd ? " · cancels at period end" : ""}
                      {s.pauseCollection ? " · collection paused" : ""}
                    </p>
                    <p className="text-slate-600">
                      {s.trialEnd ? `Trial ends ${when(s.trialEnd)} · ` : ""}Period ends {when(s.currentPeriodEnd)}
                    </p>
                    {s.paymentFailedAt ? (
                      <p className="text-red-800">Payment failing since {when(s.paymentFailedAt)}</p>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Quota and usage" />
          <CardBody>
            <p className="text-3xl font-semibold tabular-nums text-slate-900">
              {usage.quota_remaining.toLocaleString("en-US")}
            </p>
            <p className="text-sm text-slate-600">
              of {usage.quota_monthly.toLocaleString("en-US")} API calls left this period ({usage.plan})
            </p>
            <p className="mt-2 text-sm text-slate-700">
              <span data-testid="credits-remaining" className="font-semibold tabular-nums text-slate-900">
                {usage.credits_remaining.toLocaleString("en-US")}
              </span>{" "}
              credits (spent after the monthly allowance, never expire)
            </p>
            <p className="mt-2 text-xs text-slate-600">
              Period {usage.period_start.slice(0, 10)} → {usage.period_end.slice(0, 10)}
            </p>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Onboarding" />
          <CardBody>
            <p className="text-sm">
              Current step: <strong>{step === "done" ? "complete" : step}</strong>
            </p>
            <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-600">Profile</dt>
              <dd>{when(onboarding?.profileCompletedAt)}</dd>
              <dt className="text-slate-600">First alert</dt>
              <dd>{when(onboarding?.alertCompletedAt)}</dd>
              <dt className="text-slate-600">Plan chosen</dt>
              <dd>{when(onboarding?.planChosenAt)}</dd>
              <dt className="text-slate-600">Last activity</dt>
              <dd>{when(onboarding?.lastActivityAt)}</dd>
            </dl>
          </CardBody>
        </Card>
      </div>

      <section aria-labelledby="actions-heading" className="mt-6">
        <h2 id="actions-heading" className="mb-2 text-lg font-semibold text-slate-900">
          Actions
        </h2>
        {!writable ? (
          <p className="text-sm text-amber-800">
            The cockpit is read-only (incident mode): actions need a break-glass session.
          </p>
        ) : !can.act ? (
          <p className="text-sm text-slate-600">Your role ({role}) can look but not act.</p>
        ) : (
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {can.money ? (
              <ActionForm
                action={customerActionFormAction}
                title="Grant credits"
                submit="Grant credits"
                hidden={{ ...hidden, action: "grant-credits" }}
                fields={[
                  { name: "credits", label: "API calls", type: "number", min: 1, max: 1_000_000, required: true },
                  { name: "reason", label: "Reason", required: true, hint: "Shown in the audit log." },
                ]}
              />
            ) : null}
            {can.money && trialing ? (
              <ActionForm
                action={customerActionFormAction}
                title="Extend trial"
                submit="Extend trial"
                hidden={{ ...hidden, action: "extend-trial" }}
                fields={[
                  {
                    name: "days",
                    label: `Days (1–${MAX_TRIAL_EXTENSION_DAYS})`,
                    type: "number",
                    min: 1,
                    max: MAX_TRIAL_EXTENSION_DAYS,
                    required: true,
                    defaultValue: "7",
                  },
                  { name: "reason", label: "Reason", required: true },
                ]}
              />
            ) : null}
            {mutedUntil ? (
              <ActionForm
                action={customerActionFormAction}
                title="Ops alerts are muted"
                submit="Unmute ops alerts"
                hidden={{ ...hidden, action: "unmute-alerts" }}
              />
            ) : (
              <ActionForm
                action={customerActionFormAction}
                title="Mute ops alerts"
                submit="Mute ops alerts"
                hidden={{ ...hidden, action: "mute-alerts" }}
                fields={[
                  { name: "hours", label: "Hours", type: "number", min: 1, max: 24 * 90, defaultValue: "24" },
                  { name: "reason", label: "Reason (optional)" },
                ]}
              />
            )}
            <div className="space-y-2 rounded-lg bg-white p-3 ring-1 ring-slate-200">
              <h3 className="text-sm font-semibold text-slate-900">Quick fixes</h3>
              <ActionButton
                action={customerActionFormAction}
                fields={{ ...hidden, action: "reset-stuck" }}
                variant="secondary"
              >
                Reset stuck flag
              </ActionButton>
              {detail.stripeCustomerId ? (
                <ActionButton
                  action={customerActionFormAction}
                  fields={{ ...hidden, action: "activate" }}
                  variant="secondary"
                >
                  Sync from Stripe (activate)
                </ActionButton>
              ) : null}
            </div>
          </div>
        )}
        {can.export ? (
          <p className="mt-3 text-sm">
            <a
              href={`/api/admin/customers/${org.id}/export`}
              className="font-medium text-indigo-700 underline"
              download
            >
              Export data (JSON)
            </a>
          </p>
        ) : null}
      </section>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader title="Members" as="h2" />
          <CardBody>
            <ul className="space-y-1 text-sm">
              {detail.members.map((m) => (
                <li key={m.userId}>
                  {pii ? m.email : maskEmail(m.email)} · <span className="text-slate-600">{m.role}</span>
                </li>
              ))}
            </ul>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Recent job runs" as="h2" />
          <CardBody>
            {detail.recentRuns.length === 0 ? (
              <p className="text-sm text-slate-600">No runs for this customer.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {detail.recentRuns.slice(0, 10).map((run) => (
                  <li key={run.id} className="flex flex-wrap items-center gap-2">
                    <Badge tone={JOB_STATUS_TONE[run.status] ?? "neutral"}>{run.status}</Badge>
                    <Link href={`/admin/ops/jobs/${run.id}`} className="text-indigo-700 underline">
                      {run.functionId}
                    </Link>
                    <span className="text-slate-600">{when(run.createdAt)}</span>
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>

      <Card className="mt-6">
        <CardHeader title="Data requests" as="h2" />
        <CardBody>
          <DataRequestList
            empty="No export or deletion requested."
            requests={detail.dataRequests}
            action={(request) =>
              request.status === "failed" && can.act ? (
                <ActionButton
                  action={customerActionFormAction}
                  fields={{ ...hidden, action: "retry-data-request", request_id: request.id }}
                  variant="secondary"
                >
                  Retry {request.kind}
                </ActionButton>
              ) : null
            }
          />
        </CardBody>
      </Card>

      <CustomerTimeline orgId={org.id} entries={timeline.entries} nextCursor={timeline.nextCursor} />

      {can.remove ? (
        <section aria-labelledby="danger-heading" className="mt-8 rounded-lg bg-red-50 p-4 ring-1 ring-red-200">
          <h2 id="danger-heading" className="text-lg font-semibold text-red-900">
            Delete this customer
          </h2>
          <p className="mb-2 text-sm text-red-900">
            Deletes the organisation and everything it owns in one transaction. Refused while Stripe may still bill it.
            Members keep their accounts; the audit log keeps the record.
          </p>
          <ActionForm
            action={deleteCustomerAction}
            submit="Delete customer permanently"
            variant="danger"
            hidden={hidden}
            fields={[{ name: "confirm_name", label: `Type “${org.name}” to confirm`, required: true }]}
          />
        </section>
      ) : null}
    </>
  );
}
