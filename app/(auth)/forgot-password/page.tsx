import type { Metadata } from "next";
import { ForgotPasswordForm } from "@/components/auth/password-reset-forms";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">Reset your password</h1>
      <p className="mt-2 mb-6 text-sm text-slate-600">We will e-mail you a link to choose a new one.</p>
      <ForgotPasswordForm />
    </>
  );
}
