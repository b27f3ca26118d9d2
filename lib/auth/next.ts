import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { MemberActor, OrgContext } from "@/lib/context";
import { memberContext, type MemberViewer } from "./member-context";
import { CURRENT_ORG_COOKIE, viewerFromCookieValues, type Viewer } from "./principal";
import { currentOrgCookieOptions, sessionCookieName, sessionCookieOptions } from "./sessions";

/** The signed-in viewer for a page or server action, or null. */
export async function getViewer(): Promise<Viewer | null> {
  const jar = await cookies();
  return viewerFromCookieValues((name) => jar.get(name)?.value);
}

/** Pages that need a signed-in member: redirect to sign-in and come back after. */
export async function requireViewer(returnTo: string): Promise<MemberViewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!viewer.org) redirect(viewer.operatorRole ? "/admin/ops" : "/no-organization");
  return viewer as MemberViewer;
}

/** The same for a page that calls lib: the member and their service context in the org they view. */
export async function requireMember(returnTo: string): Promise<{ viewer: MemberViewer; ctx: OrgContext<MemberActor> }> {
  const viewer = await requireViewer(returnTo);
  return { viewer, ctx: memberContext(viewer) };
}

/**
 * Operator pages: everyone else is sent away (signed-out → sign-in, customers → their app), and
 * an operator whose session has no verified TOTP code goes to the code prompt first.
 */
export async function requireOperator(returnTo: string) {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!viewer.operatorRole) redirect("/dashboard?denied=admin");
  if (!viewer.mfaVerifiedAt) redirect(`/mfa?callbackUrl=${encodeURIComponent(returnTo)}`);
  return viewer as Viewer & { operatorRole: NonNullable<Viewer["operatorRole"]> };
}

export async function setSessionCookie(session: { sessionToken: string; expires: Date }) {
  const jar = await cookies();
  jar.set(sessionCookieName(), session.sessionToken, sessionCookieOptions(session.expires));
}

export async function clearSessionCookie() {
  const jar = await cookies();
  jar.delete(sessionCookieName());
}

export async function setCurrentOrgCookie(orgId: string) {
  const jar = await cookies();
  jar.set(CURRENT_ORG_COOKIE, orgId, currentOrgCookieOptions());
}
