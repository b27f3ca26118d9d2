import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Check your e-mail" };

export default function CheckEmailPage() {
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">Check your e-mail</h1>
      <p className="mt-3 text-slate-700">
        If that address has a Beacon account, a sign-in link is on its way. It works once and expires in 15 minutes.
      </p>
      <p className="mt-6 text-sm">
        <Link href="/sign-in" className="font-medium text-indigo-700 underline">
          Back to sign in
        </Link>
      </p>
    </>
  );
}
