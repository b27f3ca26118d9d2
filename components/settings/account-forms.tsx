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

/** One checkbox setting of the person's own, saved by `action` (a server action reading `name`). */
function SettingToggleForm({
  action: save,
  name,
  enabled,
  label,
  hint,
}: {
  action: (state: FormState, data: FormData) => Promise<FormState>;
  name: string;
  enabled: boolean;
  label: string;
  hint: string;
}) {
  const [state, action, pending] = useActionState(save, IDLE);
  return (
    <form action={action} className="space-y-3">
      {state.message ? <Alert tone={state.status === "success" ? "success" : "error"}>{state.message}</Alert> : null}
      <div className="flex items-start gap-2">
        <input
          id={name}
          name={name}
          type="checkbox"
          defaultChecked={enabled}
          className="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500"
          aria-describedby={`${name}_hint`}
        />
        <div>
          <label htmlFor={name} className="text-sm font-medium text-slate-900">
            {label}
          </label>
          <p id={`${name}_hint`} className="text-sm text-slate-600">
            {hint}
          </p>
        </div>
      </div>
      <Button type="submit" variant="secondary" pending={pending}>
        Save
      </Button>
    </form>
  );
}

export function DailySummaryForm({ enabled }: { enabled: boolean }) {
  return (
    <SettingToggleForm
      action={dailySummaryAction}
      name="daily_alert_summary"
      enabled={enabled}
      label="One daily summary across my alerts"
      hint="Your daily alerts that go to the same address arrive as one e-mail, with a section per alert. Instant and weekly alerts are not affected."
    />
  );
}

export function ChangeEmailsForm({ enabled }: { enabled: boolean }) {
  return (
    <SettingToggleForm
      action={changeEmailsAction}
      name="change_emails"
      enabled={enabled}
      label="“What changed” e-mails"
      hint="An hourly e-mail when a notice your team tracks or your alerts sent is amended or awarded (plans with change tracking). The e-mail’s unsubscribe link turns this off; turn it back on here."
    />
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
