"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import {
  deleteSession,
  magicLinkSchema,
  requestPasswordReset,
  resetPassword,
  resetPasswordSchema,
  safeReturnPath,
  signInSchema,
  signInWithPassword,
  signUp,
  signUpSchema,
  emailSchema,
} from "@/lib/auth";
import { signIn } from "@/lib/auth/authjs";
import { clearSessionCookie, getViewer, setSessionCookie } from "@/lib/auth/next";
import { runFormAction, type FormState } from "@/lib/http";

export async function signUpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const schema = signUpSchema.extend({ callbackUrl: z.string().optional(), plan: z.string().optional() }).strict();
  const state = await runFormAction(formData, schema, ({ name, email, password, organizationName }) => signUp({ name, email, password, organizationName }));
  if (state.status !== "success" || !state.result) return state;
  await setSessionCookie(state.result.session);
  // A new account goes straight into setup unless it was heading somewhere on purpose.
  redirect(safeReturnPath(formData.get("callbackUrl"), "/onboarding"));
}

export async function signInAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, signInSchema.extend({ callbackUrl: z.string().optional() }).strict(), (input) =>
    signInWithPassword({ email: input.email, password: input.password }),
  );
  if (state.status !== "success" || !state.result) return state;
  await setSessionCookie(state.result.session);
  redirect(safeReturnPath(formData.get("callbackUrl"), "/dashboard"));
}

export async function magicLinkAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const schema = magicLinkSchema.extend({ callbackUrl: z.string().optional() }).strict();
  const state = await runFormAction(formData, schema, async (input) => input);
  if (state.status !== "success" || !state.result) return state;
  // Auth.js stores the token, calls our sender and redirects to the "check your e-mail" page.
  await signIn("email", { email: state.result.email, redirectTo: safeReturnPath(state.result.callbackUrl, "/dashboard") });
  return state;
}

export async function signOutAction(): Promise<void> {
  const viewer = await getViewer();
  if (viewer) await deleteSession(viewer.sessionToken);
  await clearSessionCookie();
  redirect("/");
}

export async function forgotPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, z.object({ email: emailSchema }).strict(), (input) => requestPasswordReset(input.email));
  if (state.status !== "success") return state;
  return { status: "success", message: "If an account uses that address, we have sent it a link to reset the password. It expires in 1 hour." };
}

export async function resetPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, resetPasswordSchema, (input) => resetPassword(input.token, input.password));
  if (state.status !== "success" || !state.result) return state;
  await setSessionCookie(state.result.session);
  redirect("/dashboard?reset=1");
}
