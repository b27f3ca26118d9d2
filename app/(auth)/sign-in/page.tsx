import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { MagicLinkForm, SignInForm } from "@/components/auth/sign-in-form";
import { safeReturnPath } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = typeof params.callbackUrl === "string" ? safeReturnPath(params.callbackUrl) : undefined;
  if (await getViewer()) redirect(callbackUrl ?? "/dashboard");
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">Sign in to Beacon</h1>
      <p className="mt-2 text-sm text-slate-600">
        New here?{" "}
        <Link
          className="font-medium text-indigo-700 underline"
          href={callbackUrl ? `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-up"}
        >
          Create an account
        </Link>
      </p>
      <div className="mt-6">
        <SignInForm callbackUrl={callbackUrl} />
      </div>
      <div className="my-6 flex items-center gap-3 text-xs uppercase tracking-wide text-slate-500" aria-hidden="true">
        <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
      </div>
      <MagicLinkForm callbackUrl={callbackUrl} />
    </>
  );
}
