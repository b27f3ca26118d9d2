import { AppError, assertAdminNetwork, type Authenticator } from "@/lib/http";
import { type OrgActor } from "@/lib/orgs";
import { resolveApiKey, type ApiKeyPrincipal } from "./api-keys";
import { operatorCan, type OperatorAction, type OperatorRole } from "./operator-permissions";
import type { MemberViewer } from "./member-context";
import { viewerFromHeaders, viewerFromRequest, type Viewer } from "./principal";

/** `Authorization: Bearer bk_…` → the key's org. */
export const apiKeyAuth: Authenticator<ApiKeyPrincipal> = async (request) => {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw new AppError("unauthorized", "Send your API key as `Authorization: Bearer bk_…`.", {
      headers: { "www-authenticate": "Bearer" },
    });
  const principal = await resolveApiKey(match[1]!);
  if (!principal)
    throw new AppError("unauthorized", "This API key is not valid or has been revoked.", {
      headers: { "www-authenticate": "Bearer" },
    });
  return principal;
};

export interface MemberAuth {
  viewer: MemberViewer;
  orgId: string;
  actor: OrgActor;
}

/** The host of an Origin header, or null for one that is not a URL (browsers send `null` from sandboxed frames). */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

// Cookie-authenticated writes must come from our own pages: browsers always send Origin on
// cross-site POST/PATCH/DELETE, and JSON bodies already need a CORS preflight.
function assertSameOrigin(request: Request) {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(request.url).origin) {
    const forwardedHost = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    if (!forwardedHost || originHost(origin) !== forwardedHost)
      throw new AppError("forbidden", "Cross-site request refused.");
  }
}

/** A signed-in member of an org (session cookie), acting in their current org. */
export const memberAuth: Authenticator<MemberAuth> = async (request) => {
  assertSameOrigin(request);
  const viewer = await viewerFromRequest(request);
  if (!viewer) throw new AppError("unauthorized", "Sign in first.");
  if (!viewer.org) throw new AppError("forbidden", "You are not a member of any organisation.");
  return {
    viewer: viewer as MemberViewer,
    orgId: viewer.org.id,
    actor: { userId: viewer.user.id, role: viewer.org.role },
  };
};

export interface OperatorAuth {
  viewer: Viewer;
  role: OperatorRole;
}

/** A platform operator (session cookie + operator role) calling the operator API. */
export const operatorAuth: Authenticator<OperatorAuth> = async (request) => {
  assertSameOrigin(request);
  return operatorFromHeaders(request.headers);
};

/**
 * The operator behind a request's headers: the operator API's Request, or a cockpit server
 * action's incoming headers (Next.js checks a server action's origin itself). The network is
 * checked again here so no operator edge depends on proxy.ts's matcher.
 */
export async function operatorFromHeaders(headers: Headers): Promise<OperatorAuth> {
  assertAdminNetwork(headers);
  const viewer = await viewerFromHeaders(headers);
  if (!viewer) throw new AppError("unauthorized", "Sign in first.");
  if (!viewer.operatorRole) throw new AppError("forbidden", "Operators only.");
  if (!viewer.mfaVerifiedAt) throw new AppError("mfa_required", "Enter your authenticator code at /mfa first.");
  return { viewer, role: viewer.operatorRole };
}

export function assertOperatorCan(auth: OperatorAuth, action: OperatorAction) {
  if (!operatorCan(auth.role, action))
    throw new AppError("forbidden", `Your operator role (${auth.role}) does not allow ${action}.`);
}
