import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card, CardBody, CardHeader, PageHeader, buttonClasses } from "@/components/ui";
import { requireViewer } from "@/lib/auth/next";
import { formatMonthlyPrice, planById } from "@/lib/billing";
import { env } from "@/lib/env";
import { can } from "@/lib/orgs";
import { SettingsNav } from "../settings-nav";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  const viewer = await requireViewer("/settings/billing");
  const plan = planById(viewer.org.plan);
  const stripeConfigured = Boolean(env().STRIPE_SECRET_KEY);
  return (
    <>
      <PageHeader title="Settings" description={viewer.org.name} />
      <SettingsNav current="/settings/billing" />
      <div className="space-y-6">
        {!stripeConfigured ? (
          <Alert tone="info" title="Payments are not set up on this installation">
            STRIPE_SECRET_KEY is not configured, so plans cannot be bought here. Everything on the free plan works.
          </Alert>
        ) : null}
        <Card>
          <CardHeader title="Current plan" />
          <CardBody>
            <p className="text-lg font-semibold text-slate-900">
              {plan.name} <span className="text-base font-normal text-slate-600">· {formatMonthlyPrice(plan)} / month</span>
            </p>
            <ul className="mt-2 list-inside list-disc text-sm text-slate-700">
              <li>{plan.monthlyApiQuota.toLocaleString("en-US")} API calls a month</li>
              <li>Up to {plan.maxAlerts.toLocaleString("en-US")} alerts</li>
              <li>Up to {plan.maxSeats.toLocaleString("en-US")} seats</li>
            </ul>
            {!can(viewer.org.role, "billing:manage") ? (
              <p className="mt-4 text-sm text-slate-600">Owners, admins and billing members manage the subscription.</p>
            ) : (
              <Link href="/pricing" className={`${buttonClasses("secondary", "sm")} mt-4`}>
                Compare plans
              </Link>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
