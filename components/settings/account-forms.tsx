"use client";

import { useActionState } from "react";
import {
  changeEmailsAction,
  changePasswordAction,
  dailySummaryAction,
  signOutOtherSessionsAction,
} from "@/app/(app)/actions";
import type { FormState } from "@/lib/http";
import { Alert, Button, Field, Input } from "@/components/ui";

const IDLE: FormState = { status: "idle" };

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, IDLE);
  return (
    <form action={action} noValidate className="space-y-4">
      {state.message ? <Alert tone={state.status === "success" ? "success" : "error"}>{state.message}</Alert> : null}
      <Field id="currentPassword" label="Current password" error={state.fieldErrors?.currentPassword}>
        <Input name="currentPassword" type="password" autoComplete="current-password" />
      </Field>
      <Field
        id="newPassword"
        label="New password"
        hint="At least 10 characters. Other sessions are signed out."
        error={state.fieldErrors?.newPassword}
      >
        <Input name="newPassword" type="password" autoComplete="new-password" minLength={10} />
      </Field>
      <Button type="submit" pending={pending}>
        Change password
      </Button>
    </form>
  );
}

export function DailySummaryForm({ enabled }: { enabled: boolean }) {
  const [state, action, pending] = useActionState(dailySummaryAction, IDLE);
  return (
    <form action={action} className="space-y-3">
      {state.message ? <Alert tone={state.status === "success" ? "success" : "error"}>{state.message}</Alert> : null}
      <div className="flex items-start gap-2">
        <input
          id="daily_alert_summary"
          name="daily_alert_summary"
          type="checkbox"
          defaultChecked={enabled}
          className="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500"
          aria-describedby="daily_alert_summary_hint"
        />
        <div>
          <label htmlFor="daily_alert_summary" className="text-sm font-medium text-slate-900">
            One daily summary across my alerts
          </label>
          <p id="daily_alert_summary_hint" className="text-sm text-slate-600">
            Your daily alerts that go to the same address arrive as one e-mail, with a section per alert. Instant and
            weekly alerts are not affected.
          </p>
        </div>
      </div>
      <Button type="submit" variant="secondary" pending={pending}>
        Save
      </Button>
    </form>
  );
}

export function ChangeEmailsForm({ enabled }: { enabled: boolean }) {
  const [state, action, pending] = useActionState(changeEmailsAction, IDLE);
  return (
    <form action={action} className="space-y-3">
      {state.message ? <Alert tone={state.status === "success" ? "success" : "error"}>{state.message}</Alert> : null}
      <div className="flex items-start gap-2">
        <input
          id="change_emails"
          name="change_emails"
          type="checkbox"
          defaultChecked={enabled}
          className="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500"
          aria-describedby="change_emails_hint"
        />
        <div>
          <label htmlFor="change_emails" className="text-sm font-medium text-slate-900">
            “What changed” e-mails
          </label>
          <p id="change_emails_hint" className="text-sm text-slate-600">
            An hourly e-mail when a notice your team tracks or your alerts sent is amended or awarded (plans with change
            tracking). The e-mail’s unsubscribe link turns this off; turn it back on here.
          </p>
        </div>
      </div>
      <Button type="submit" variant="secondary" pending={pending}>
        Save
      </Button>
    </form>
  );
}

export function SignOutOtherSessionsForm() {
  const [state, action, pending] = useActionState(signOutOtherSessionsAction, IDLE);
  return (
    <form action={action} className="space-y-3">
      {state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <Button type="submit" variant="secondary" pending={pending}>
        Sign out all other sessions
      </Button>
    </form>
  );
}
