import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Sign-in problem" };

const MESSAGES: Record<string, string> = {
  Verification: "That sign-in link is invalid, already used or expired. Ask for a new one.",
  AccessDenied: "That address has no Beacon account. Create one first.",
};

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">We could not sign you in</h1>
      <p className="mt-3 text-slate-700">
        {(error && MESSAGES[error]) ?? "Something went wrong while signing you in. Please try again."}
      </p>
      <p className="mt-6 flex gap-4 text-sm">
        <Link href="/sign-in" className="font-medium text-indigo-700 underline">
          Sign in
        </Link>
        <Link href="/sign-up" className="font-medium text-indigo-700 underline">
          Create an account
        </Link>
      </p>
    </>
  );
}
