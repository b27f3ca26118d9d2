import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { getViewer } from "@/lib/auth/next";
import { buttonClasses } from "@/components/ui";
import { isAppError } from "@/lib/http";
import { describeInvitation } from "@/lib/orgs";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: Awaited<ReturnType<typeof describeInvitation>>;
  try {
    invitation = await describeInvitation(token);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return (
      <>
        <h1 className="text-2xl font-semibold text-slate-900">Invitation not available</h1>
        <p className="mt-3 text-slate-700">{error.message} Ask the person who invited you for a new one.</p>
      </>
    );
  }
  const viewer = await getViewer();
  const here = `/invitations/${token}`;
  const sameEmail = viewer && viewer.user.email.toLowerCase() === invitation.email.toLowerCase();
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">Join {invitation.orgName} on Beacon</h1>
      <p className="mt-3 text-slate-700">
        You were invited as <strong>{invitation.role}</strong> ({invitation.email}).
      </p>
      <div className="mt-6">
        {!viewer ? (
          <div className="flex flex-col gap-3 sm:flex-row">
            <Link
              className={buttonClasses("primary")}
              href={`/sign-up?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(invitation.email)}`}
            >
              Create an account
            </Link>
            <Link className={buttonClasses("secondary")} href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>
              I already have an account
            </Link>
          </div>
        ) : sameEmail ? (
          <AcceptInvitationForm token={token} orgName={invitation.orgName} />
        ) : (
          <p className="text-slate-700">
            You are signed in as {viewer.user.email}. This invitation is for {invitation.email}: sign out and sign in
            with that address to accept it.
          </p>
        )}
      </div>
    </>
  );
}
