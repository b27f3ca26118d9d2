import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/password-reset-forms";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  if (!token) {
    return (
      <p className="text-slate-700">
        This page needs the link from your e-mail.{" "}
        <Link className="font-medium text-indigo-700 underline" href="/forgot-password">
          Ask for a new link
        </Link>
        .
      </p>
    );
  }
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">Choose a new password</h1>
      <p className="mt-2 mb-6 text-sm text-slate-600">Setting it signs you out on every other device.</p>
      <ResetPasswordForm token={token} />
    </>
  );
}
