"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { safeReturnPath, verifyOperatorMfa } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { runFormAction, type FormState } from "@/lib/http";

const codeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."),
  callbackUrl: z.string().max(2000).optional(),
});

export async function verifyMfaAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=%2Fadmin%2Fops");
  if (!viewer.operatorRole) redirect("/dashboard");
  const state = await runFormAction(
    formData,
    codeSchema,
    ({ code }) => verifyOperatorMfa(viewer.sessionToken, viewer.user.id, code),
    { secretFields: ["code"] },
  );
  if (state.status !== "success") return state;
  const target = safeReturnPath(formData.get("callbackUrl"), "/admin/ops");
  redirect(target.startsWith("/admin") ? target : "/admin/ops");
}
