import "server-only";
import { cookies, headers } from "next/headers";
import { operatorCan, type OperatorAction } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { appUrl, isProduction } from "@/lib/env";
import { AppError, assertAdminNetwork } from "@/lib/http";
import { assertAdminWritable, BREAK_GLASS_COOKIE, cockpitWriteState } from "@/lib/ops";

/**
 * The cockpit keeps a break-glass token in an HttpOnly, SameSite=Strict cookie scoped to /admin:
 * scripts cannot read it, other sites cannot make the browser send it, and the customer app
 * never receives it. Server actions honour it as the API honours X-Break-Glass-Token.
 */
export async function readBreakGlassCookie() {
  return (await cookies()).get(BREAK_GLASS_COOKIE)?.value ?? null;
}

export async function setBreakGlassCookie(token: string, expires: Date) {
  (await cookies()).set(BREAK_GLASS_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure: isProduction() || appUrl().startsWith("https://"),
    path: "/admin",
    expires,
  });
}

export async function clearBreakGlassCookie() {
  (await cookies()).set(BREAK_GLASS_COOKIE, "", {
    httpOnly: true,
    sameSite: "strict",
    secure: isProduction() || appUrl().startsWith("https://"),
    path: "/admin",
    maxAge: 0,
  });
}

/** Whether this operator may write from the cockpit right now (incident mode, break-glass). */
export async function cockpitWriteStateFor(operatorId: string) {
  return cockpitWriteState(operatorId, await readBreakGlassCookie());
}

/** The operator behind a server action, allowed `action` (session with a verified TOTP code). */
export async function operatorAllowed(action: OperatorAction) {
  // The proxy checked the network too; the action checks again, as the operator API does.
  assertAdminNetwork(await headers());
  const viewer = await getViewer();
  if (!viewer?.operatorRole) throw new AppError("forbidden", "Operators only.");
  if (!viewer.mfaVerifiedAt) throw new AppError("mfa_required", "Enter your authenticator code at /mfa first.");
  if (!operatorCan(viewer.operatorRole, action))
    throw new AppError("forbidden", `Your operator role (${viewer.operatorRole}) does not allow this.`);
  return viewer.user;
}

/** For a server action that writes: the operator, allowed `action`, as the audit actor (read-only and break-glass applied). */
export async function operatorWriter(action: OperatorAction) {
  const user = await operatorAllowed(action);
  return assertAdminWritable(user, await readBreakGlassCookie());
}
