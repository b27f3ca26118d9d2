import { ORG_ROLES, type OrgRole } from "@/lib/context/rules";

// The roles are part of who acts (lib/context/rules, browser-safe); what each may do is decided here.
export { ORG_ROLES, type OrgRole };

export const ORG_ACTIONS = [
  "org:read",
  "org:update",
  "org:delete",
  "members:read",
  "members:invite",
  "members:update_role",
  "members:remove",
  "billing:read",
  "billing:manage",
  "api_keys:read",
  "api_keys:manage",
  "alerts:read",
  "alerts:manage",
  "pipeline:read",
  "pipeline:manage",
  "channels:read",
  "channels:manage",
  "opportunities:search",
  "opportunities:dismiss",
  "onboarding:manage",
  "data:manage",
] as const;
export type OrgAction = (typeof ORG_ACTIONS)[number];

const READ: OrgAction[] = [
  "org:read",
  "members:read",
  "billing:read",
  "api_keys:read",
  "alerts:read",
  "pipeline:read",
  // Members choose an alert's channels, so every role sees which exist (never their URLs).
  "channels:read",
  "opportunities:search",
];

/**
 * The one role × action table. Every permission check in Beacon reads it.
 * Billing actions: owner/admin/billing. Member management and team channels: owner/admin. Viewers only read.
 * Taking or erasing the org's data (data:manage) is the owner's alone, like deleting the org.
 */
export const PERMISSIONS: Record<OrgRole, ReadonlySet<OrgAction>> = {
  owner: new Set(ORG_ACTIONS),
  admin: new Set(ORG_ACTIONS.filter((a) => a !== "org:delete" && a !== "data:manage")),
  billing: new Set<OrgAction>([...READ, "billing:manage"]),
  member: new Set<OrgAction>([
    ...READ,
    "alerts:manage",
    "pipeline:manage",
    "onboarding:manage",
    // Marking a notice not relevant changes the org's matches for everyone: not for viewers.
    "opportunities:dismiss",
  ]),
  viewer: new Set<OrgAction>(READ),
};

export function can(role: OrgRole, action: OrgAction): boolean {
  return PERMISSIONS[role].has(action);
}

/** Roles an actor may grant: admins cannot create owners; nobody grants above their own role. */
export function assignableRoles(actorRole: OrgRole): OrgRole[] {
  if (actorRole === "owner") return [...ORG_ROLES];
  if (actorRole === "admin") return ["admin", "billing", "member", "viewer"];
  return [];
}
