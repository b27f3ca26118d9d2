"use server";

import { redirect } from "next/navigation";
import { changePassword, changePasswordSchema, revokeAllSessions, sendVerificationEmail } from "@/lib/auth";
import { getViewer, setCurrentOrgCookie } from "@/lib/auth/next";
import { setDailySummary } from "@/lib/alerts";
import { setChangeEmails } from "@/lib/pipeline";
import { runFormAction, type FormState } from "@/lib/http";
import { acceptInvitation, acceptInvitationSchema } from "@/lib/orgs";

export async function switchOrgAction(orgId: string): Promise<void> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  // Only an org the viewer belongs to can become current.
  if (viewer.orgs.some((o) => o.id === orgId)) await setCurrentOrgCookie(orgId);
  redirect("/dashboard");
}

export async function resendVerificationAction(): Promise<void> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  if (!viewer.user.emailVerified) await sendVerificationEmail(viewer.user.id, viewer.user.email);
  redirect("/verify-email/resend?sent=1");
}

export async function acceptInvitationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  const state = await runFormAction(formData, acceptInvitationSchema, (input) =>
    acceptInvitation(input.token, viewer.user),
  );
  if (state.status !== "success" || !state.result) return state;
  await setCurrentOrgCookie(state.result.orgId);
  redirect("/dashboard?joined=1");
}

/** Settings → Account: one daily summary e-mail across the member's daily alerts, or one e-mail per alert. */
export async function dailySummaryAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  const on = formData.get("daily_alert_summary") === "on";
  await setDailySummary(viewer.user.id, on);
  return {
    status: "success",
    message: on
      ? "Saved: your daily alerts to the same address now arrive as one summary."
      : "Saved: each daily alert sends its own e-mail.",
  };
}

/** Settings → Account: "what changed" e-mails on or off (the e-mail's one-click link turns them off). */
export async function changeEmailsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  const on = formData.get("change_emails") === "on";
  await setChangeEmails(viewer.user.id, on);
  return {
    status: "success",
    message: on ? "Saved: “what changed” e-mails are on." : "Saved: you will get no “what changed” e-mails.",
  };
}

export async function changePasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  const state = await runFormAction(formData, changePasswordSchema, (input) =>
    changePassword(viewer.user.id, input.currentPassword, input.newPassword, viewer.sessionToken),
  );
  if (state.status !== "success") return state;
  return {
    status: "success",
    message: `Password changed. ${state.result?.revoked ?? 0} other session(s) were signed out.`,
  };
}

export async function signOutOtherSessionsAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  const revoked = await revokeAllSessions(viewer.user.id, viewer.sessionToken);
  return { status: "success", message: `Signed out ${revoked} other session(s).` };
}
