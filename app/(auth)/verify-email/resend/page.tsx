import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getViewer } from "@/lib/auth/next";
import { resendVerificationAction } from "@/app/(app)/actions";
import { Button } from "@/components/ui";

export const metadata: Metadata = { title: "Confirm your e-mail" };

export default async function ResendVerificationPage({ searchParams }: { searchParams: Promise<{ sent?: string }> }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=%2Fverify-email%2Fresend");
  const { sent } = await searchParams;
  if (viewer.user.emailVerified) {
    return <p className="text-slate-700">Your e-mail address {viewer.user.email} is already confirmed.</p>;
  }
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">Confirm your e-mail</h1>
      <p className="mt-3 text-slate-700">
        {sent
          ? `We sent a new link to ${viewer.user.email}.`
          : `We will send a confirmation link to ${viewer.user.email}.`}
      </p>
      <form action={resendVerificationAction} className="mt-6">
        <Button type="submit">{sent ? "Send again" : "Send link"}</Button>
      </form>
    </>
  );
}
