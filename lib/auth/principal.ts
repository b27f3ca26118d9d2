import { listOrganizationsForUser, type OrgSummary } from "@/lib/orgs";
import type { OperatorRole } from "./operator-permissions";
import { resolveSession, sessionCookieName, type SessionUser } from "./sessions";

export const CURRENT_ORG_COOKIE = "beacon_org";

/** A signed-in person, their orgs and the org they are working in. */
export interface Viewer {
  user: SessionUser;
  sessionToken: string;
  mfaVerifiedAt: Date | null;
  orgs: OrgSummary[];
  org: OrgSummary | null;
  operatorRole: OperatorRole | null;
}

/** Resolves a viewer from cookie values (works for pages, server actions and route handlers). */
export async function viewerFromCookieValues(get: (name: string) => string | undefined): Promise<Viewer | null> {
  const session = await resolveSession(get(sessionCookieName()));
  if (!session) return null;
  const orgs = await listOrganizationsForUser(session.user.id);
  const wanted = get(CURRENT_ORG_COOKIE);
  const org = orgs.find((o) => o.id === wanted) ?? orgs[0] ?? null;
  return {
    user: session.user,
    sessionToken: session.sessionToken,
    mfaVerifiedAt: session.mfaVerifiedAt,
    orgs,
    org,
    operatorRole: session.user.operatorRole,
  };
}

export function parseCookieHeader(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (!name || out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(part.slice(index + 1).trim()));
    } catch {
      // A malformed cookie is ignored, like a missing one.
    }
  }
  return out;
}

export function viewerFromHeaders(headers: Headers) {
  const cookies = parseCookieHeader(headers.get("cookie"));
  return viewerFromCookieValues((name) => cookies.get(name));
}

export function viewerFromRequest(request: Request) {
  return viewerFromHeaders(request.headers);
}
