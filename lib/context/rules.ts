// Who acts, as types and the org roles: browser-safe (forms pick roles), so client components can
// import it without the context's database and outbox (lib/context/index.ts).
import type { SystemReason } from "@/db/tenant";

export const ORG_ROLES = ["owner", "admin", "billing", "member", "viewer"] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** A signed-in member acting in one of their orgs, held to their role there. */
export interface MemberActor {
  kind: "member";
  userId: string;
  role: OrgRole;
}

/** One of an org's API keys: it acts for the whole org (API.md). */
export interface ApiKeyActor {
  kind: "apiKey";
  keyId: string;
}

/** An operator in the cockpit, past the second factor. */
export interface OperatorActor {
  kind: "operator";
  userId: string;
  email: string | null;
  /** The break-glass session an operator writes under while the cockpit is read-only. */
  breakGlassSessionId?: string | null;
}

/** Beacon itself: a background step, a webhook from Stripe, a command line. */
export interface SystemActor {
  kind: "system";
  reason: SystemReason;
}

/** Who is acting, one type for every edge. */
export type Actor = MemberActor | ApiKeyActor | OperatorActor | SystemActor;

/** Who acts for an org from the product or its API: a member (role-checked) or one of its keys. */
export type CustomerActor = MemberActor | ApiKeyActor;

export const memberActor = (userId: string, role: OrgRole): MemberActor => ({ kind: "member", userId, role });
export const apiKeyActor = (keyId: string): ApiKeyActor => ({ kind: "apiKey", keyId });
export const systemActor = (reason: SystemReason): SystemActor => ({ kind: "system", reason });
