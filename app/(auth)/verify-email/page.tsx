import type { Metadata } from "next";
import Link from "next/link";
import { verifyEmail } from "@/lib/auth";
import { isAppError } from "@/lib/http";

export const metadata: Metadata = { title: "Confirm your e-mail" };
export const dynamic = "force-dynamic";

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  let verified = false;
  let problem = "This page needs the link from your e-mail.";
  if (token) {
    try {
      await verifyEmail(token);
      verified = true;
    } catch (error) {
      if (!isAppError(error)) throw error;
      problem = error.message;
    }
  }
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">
        {verified ? "E-mail confirmed" : "We could not confirm your e-mail"}
      </h1>
      <p className="mt-3 text-slate-700">{verified ? "Thanks — your address is confirmed." : problem}</p>
      <p className="mt-6 text-sm">
        {verified ? (
          <Link href="/dashboard" className="font-medium text-indigo-700 underline">
            Continue to Beacon
          </Link>
        ) : (
          <Link href="/verify-email/resend" className="font-medium text-indigo-700 underline">
            Send a new link
          </Link>
        )}
      </p>
    </>
  );
}
