"use client";

import { useActionState } from "react";
import { forgotPasswordAction, resetPasswordAction } from "@/app/(auth)/actions";
import type { FormState } from "@/lib/http";
import { Alert, Button, Field, Input } from "@/components/ui";

const IDLE: FormState = { status: "idle" };

export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState(forgotPasswordAction, IDLE);
  if (state.status === "success") return <Alert tone="success">{state.message}</Alert>;
  return (
    <form action={action} noValidate className="space-y-4">
      {state.message ? <Alert tone="error">{state.message}</Alert> : null}
      <Field id="email" label="E-mail" error={state.fieldErrors?.email} required>
        <Input
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          defaultValue={state.values?.email}
          required
        />
      </Field>
      <Button type="submit" pending={pending} className="w-full">
        Send reset link
      </Button>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(resetPasswordAction, IDLE);
  return (
    <form action={action} noValidate className="space-y-4">
      {state.message ? <Alert tone="error">{state.message}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <Field
        id="password"
        label="New password"
        hint="At least 10 characters."
        error={state.fieldErrors?.password}
        required
      >
        <Input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </Field>
      <Field id="confirm" label="Repeat the new password" error={state.fieldErrors?.confirm} required>
        <Input name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      <Button type="submit" pending={pending} className="w-full">
        Set new password
      </Button>
    </form>
  );
}
