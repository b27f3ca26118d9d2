"use client";

import { useActionState } from "react";
import { changePasswordAction, signOutOtherSessionsAction } from "@/app/(app)/actions";
import type { FormState } from "@/lib/http/form-state";
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
