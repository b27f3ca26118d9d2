"use client";

import Link from "next/link";
import { useActionState } from "react";
import { magicLinkAction, signInAction } from "@/app/(auth)/actions";
import { MAGIC_LINK_RULES, SIGN_IN_RULES } from "@/lib/auth/rules";
import type { FormState } from "@/lib/http";
import { Alert, Button, Field, Input } from "@/components/ui";
import { useInlineValidation } from "@/components/forms/use-inline-validation";

const IDLE: FormState = { status: "idle" };

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState(signInAction, IDLE);
  const { onBlur, errorFor, reset } = useInlineValidation(SIGN_IN_RULES, state.fieldErrors);
  const v = state.values ?? {};
  return (
    <form
      action={action}
      onBlur={onBlur}
      onSubmit={reset}
      noValidate
      className="space-y-4"
      aria-label="Sign in with password"
    >
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <Field id="email" label="E-mail" error={errorFor("email")} required>
        <Input name="email" type="email" autoComplete="email" inputMode="email" defaultValue={v.email} required />
      </Field>
      <Field id="password" label="Password" error={errorFor("password")} required>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <div className="flex items-center justify-between gap-4">
        <Button type="submit" pending={pending}>
          Sign in
        </Button>
        <Link href="/forgot-password" className="text-sm font-medium text-indigo-700 underline">
          Forgot password?
        </Link>
      </div>
    </form>
  );
}

export function MagicLinkForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState(magicLinkAction, IDLE);
  const { onBlur, errorFor, reset } = useInlineValidation(MAGIC_LINK_RULES, state.fieldErrors);
  return (
    <form
      action={action}
      onBlur={onBlur}
      onSubmit={reset}
      noValidate
      className="space-y-3"
      aria-label="Sign in with an e-mail link"
    >
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <Field id="magic-email" label="E-mail me a sign-in link" error={errorFor("email")}>
        {(control) => (
          <Input
            {...control}
            name="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            defaultValue={state.values?.email}
          />
        )}
      </Field>
      <Button type="submit" variant="secondary" pending={pending}>
        Send link
      </Button>
    </form>
  );
}
