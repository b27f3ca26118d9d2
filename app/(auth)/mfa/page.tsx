import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeReturnPath, mfaEnrolment } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { MfaForm } from "./mfa-form";

export const metadata: Metadata = { title: "Two-factor verification" };
export const dynamic = "force-dynamic";

/** Operators enter a TOTP code once per session before the cockpit opens; first time, they enrol. */
export default async function MfaPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(
    typeof params.callbackUrl === "string" ? params.callbackUrl : undefined,
    "/admin/ops",
  );
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/admin/ops")}`);
  if (!viewer.operatorRole) redirect("/dashboard");
  if (viewer.mfaVerifiedAt) redirect(callbackUrl.startsWith("/admin") ? callbackUrl : "/admin/ops");
  const enrolment = await mfaEnrolment(viewer.user.id);
  return (
    <>
      <h1 className="text-2xl font-semibold text-slate-900">
        {enrolment.enrolled ? "Enter your authentication code" : "Set up your authenticator"}
      </h1>
      {enrolment.enrolled ? (
        <p className="mt-2 text-sm text-slate-600">
          Open your authenticator app and enter the 6-digit code for Beacon Ops.
        </p>
      ) : (
        <div className="mt-2 space-y-3 text-sm text-slate-700">
          <p>
            The cockpit needs a second factor. Scan this code with an authenticator app (1Password, Google
            Authenticator, Authy…), then enter the code it shows.
          </p>
          {/* The SVG is generated on the server from our own otpauth URL. */}
          <div
            className="w-[200px]"
            role="img"
            aria-label="QR code for your authenticator app"
            dangerouslySetInnerHTML={{ __html: enrolment.qrSvg ?? "" }}
          />
          <p>
            Or type this key:{" "}
            <code className="break-all rounded bg-slate-100 px-1 font-mono" data-testid="totp-secret">
              {enrolment.secret}
            </code>
          </p>
        </div>
      )}
      <div className="mt-6">
        <MfaForm callbackUrl={callbackUrl} />
      </div>
    </>
  );
}
