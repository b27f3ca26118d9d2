"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import {
  deleteSession,
  resetPassword,
  resetPasswordSchema,
  safeReturnPath,
  forgotPasswordForm,
  magicLinkForm,
  signInForm,
  signUpForm,
} from "@/lib/auth";
import { signIn } from "@/lib/auth/authjs";
import { clearSessionCookie, getViewer, setSessionCookie } from "@/lib/auth/next";
import { runFormAction, type FormState } from "@/lib/http";
import { clientIpOf } from "@/lib/ratelimit";

/** Who the per-IP rate limits count this request against. */
async function limitContext() {
  return { ip: clientIpOf(await headers()) };
}

export async function signUpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await signUpForm(formData, await limitContext());
  if (state.status !== "success" || !state.result) return state;
  await setSessionCookie(state.result.session);
  // A new account goes straight into setup unless it was heading somewhere on purpose.
  redirect(safeReturnPath(formData.get("callbackUrl"), "/onboarding"));
}

export async function signInAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await signInForm(formData, await limitContext());
  if (state.status !== "success" || !state.result) return state;
  await setSessionCookie(state.result.session);
  redirect(safeReturnPath(formData.get("callbackUrl"), "/dashboard"));
}

export async function magicLinkAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await magicLinkForm(formData, await limitContext());
  if (state.status !== "success" || !state.result) return state;
  // Auth.js stores the token, calls our sender and redirects to the "check your e-mail" page.
  await signIn("email", {
    email: state.result.email,
    redirectTo: safeReturnPath(state.result.callbackUrl, "/dashboard"),
  });
  return state;
}

export async function signOutAction(): Promise<void> {
  const viewer = await getViewer();
  if (viewer) await deleteSession(viewer.sessionToken);
  await clearSessionCookie();
  redirect("/");
}

export async function forgotPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return forgotPasswordForm(formData, await limitContext());
}

export async function resetPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, resetPasswordSchema, (input) =>
    resetPassword(input.token, input.password),
  );
  if (state.status !== "success" || !state.result) return state;
  await setSessionCookie(state.result.session);
  redirect("/dashboard?reset=1");
}
