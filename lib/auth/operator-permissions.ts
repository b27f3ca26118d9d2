export const OPERATOR_ROLES = ["ops_admin", "ops_support", "ops_viewer"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export const OPERATOR_ACTIONS = [
  "ops:read",
  "ops:read_pii",
  "customers:act",
  "jobs:rerun",
  "jobs:cancel",
  "jobs:pause",
  "dead_letters:replay",
  "dead_letters:discard",
  "stripe_events:reprocess",
  "money:act",
  // The accounting CSV: every org's invoices and amounts in one file (ops_admin only).
  "exports:accounting",
  "customers:delete",
  "operators:manage",
  "break_glass:start",
  "flags:manage",
] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

/**
 * The operator role × action table. ops_admin does everything; ops_support acts on customers
 * but not destructively or with money; ops_viewer reads with PII masked. Re-running and cancelling
 * one run is support work; pausing a scheduled function (billing, retention, alerts stop for
 * everyone) is ops_admin only.
 */
export const OPERATOR_PERMISSIONS: Record<OperatorRole, ReadonlySet<OperatorAction>> = {
  ops_admin: new Set(OPERATOR_ACTIONS),
  ops_support: new Set<OperatorAction>([
    "ops:read",
    "ops:read_pii",
    "customers:act",
    "jobs:rerun",
    "jobs:cancel",
    "dead_letters:replay",
    "stripe_events:reprocess",
  ]),
  ops_viewer: new Set<OperatorAction>(["ops:read"]),
};

export function operatorCan(role: OperatorRole, action: OperatorAction) {
  return OPERATOR_PERMISSIONS[role].has(action);
}
