"use client";

import Link from "next/link";
import { useActionState } from "react";
import { signUpAction } from "@/app/(auth)/actions";
import { SIGN_UP_RULES } from "@/lib/auth/rules";
import type { FormState } from "@/lib/http";
import { Alert, Button, Field, Input } from "@/components/ui";
import { useInlineValidation } from "@/components/forms/use-inline-validation";

const IDLE: FormState = { status: "idle" };

export function SignUpForm({ callbackUrl, plan, email }: { callbackUrl?: string; plan?: string; email?: string }) {
  const [state, action, pending] = useActionState(signUpAction, IDLE);
  const { onBlur, errorFor, reset } = useInlineValidation(SIGN_UP_RULES, state.fieldErrors);
  const v = state.values ?? {};

  return (
    <form action={action} onBlur={onBlur} onSubmit={reset} noValidate className="space-y-4">
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      {plan ? <input type="hidden" name="plan" value={plan} /> : null}
      <Field id="name" label="Your name" error={errorFor("name")} required>
        <Input name="name" autoComplete="name" defaultValue={v.name} required />
      </Field>
      <Field id="email" label="Work e-mail" error={errorFor("email")} required>
        <Input
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          defaultValue={v.email ?? email}
          required
        />
      </Field>
      <Field id="password" label="Password" hint="At least 10 characters." error={errorFor("password")} required>
        <Input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </Field>
      <Field
        id="organizationName"
        label="Company name"
        hint="Optional — you can change it later."
        error={errorFor("organizationName")}
      >
        <Input name="organizationName" autoComplete="organization" defaultValue={v.organizationName} />
      </Field>
      <Button type="submit" pending={pending} className="w-full">
        Create account
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link
          className="font-medium text-indigo-700 underline"
          href={callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in"}
        >
          Sign in
        </Link>
      </p>
    </form>
  );
}
