import type { Metadata } from "next";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import {
  ChangeEmailsForm,
  ChangePasswordForm,
  DailySummaryForm,
  SignOutOtherSessionsForm,
} from "@/components/settings/account-forms";
import { dailySummaryEnabled } from "@/lib/alerts";
import { requireViewer } from "@/lib/auth/next";
import { changeEmailsEnabled } from "@/lib/pipeline";
import { SettingsNav } from "../settings-nav";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const viewer = await requireViewer("/settings/account");
  return (
    <>
      <PageHeader title="Settings" description={viewer.org.name} />
      <SettingsNav current="/settings/account" />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Profile" />
          <CardBody>
            <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
              <dt className="text-slate-600">Name</dt>
              <dd className="text-slate-900">{viewer.user.name ?? "—"}</dd>
              <dt className="text-slate-600">E-mail</dt>
              <dd className="text-slate-900">
                {viewer.user.email} {viewer.user.emailVerified ? "(confirmed)" : "(not confirmed yet)"}
              </dd>
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Alert e-mails" />
          <CardBody>
            <DailySummaryForm enabled={await dailySummaryEnabled(viewer.user.id)} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Notice changes" />
          <CardBody>
            <ChangeEmailsForm enabled={await changeEmailsEnabled(viewer.user.id)} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Password" />
          <CardBody>
            <ChangePasswordForm />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Sessions" description="Signed in on a shared or lost device? Sign it out." />
          <CardBody>
            <SignOutOtherSessionsForm />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
