import { describe, expect, it } from "vitest";
import {
  ORG_ACTIONS,
  ORG_ROLES,
  PERMISSIONS,
  assignableRoles,
  can,
  type OrgAction,
  type OrgRole,
} from "@/lib/orgs/permissions";

// The expected table, written out by hand: a change to PERMISSIONS must be a change here too.
//                                       owner  admin  billing member viewer
const EXPECTED: Record<OrgAction, [boolean, boolean, boolean, boolean, boolean]> = {
  "org:read": [true, true, true, true, true],
  "org:update": [true, true, false, false, false],
  "org:delete": [true, false, false, false, false],
  "members:read": [true, true, true, true, true],
  "members:invite": [true, true, false, false, false],
  "members:update_role": [true, true, false, false, false],
  "members:remove": [true, true, false, false, false],
  "billing:read": [true, true, true, true, true],
  "billing:manage": [true, true, true, false, false],
  "api_keys:read": [true, true, true, true, true],
  "api_keys:manage": [true, true, false, false, false],
  "alerts:read": [true, true, true, true, true],
  "alerts:manage": [true, true, false, true, false],
  "pipeline:read": [true, true, true, true, true],
  "pipeline:manage": [true, true, false, true, false],
  "channels:read": [true, true, true, true, true],
  "channels:manage": [true, true, false, false, false],
  "opportunities:search": [true, true, true, true, true],
  "opportunities:dismiss": [true, true, false, true, false],
  "onboarding:manage": [true, true, false, true, false],
  "data:manage": [true, false, false, false, false],
};

const ROLE_COLUMN: Record<OrgRole, number> = { owner: 0, admin: 1, billing: 2, member: 3, viewer: 4 };

describe("org permissions", () => {
  it("the table covers exactly the roles and actions that exist", () => {
    expect([...ORG_ROLES]).toEqual(["owner", "admin", "billing", "member", "viewer"]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...ORG_ACTIONS].sort());
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...ORG_ROLES].sort());
  });

  for (const role of ORG_ROLES) {
    for (const action of ORG_ACTIONS) {
      const expected = EXPECTED[action][ROLE_COLUMN[role]];
      it(`${role} ${expected ? "can" : "cannot"} ${action}`, () => {
        expect(can(role, action)).toBe(expected);
      });
    }
  }

  it("every role can read; only owner can delete the org", () => {
    const reads: OrgAction[] = [
      "org:read",
      "members:read",
      "billing:read",
      "api_keys:read",
      "alerts:read",
      "pipeline:read",
      "channels:read",
      "opportunities:search",
    ];
    for (const role of ORG_ROLES) for (const action of reads) expect(can(role, action), `${role} ${action}`).toBe(true);
    expect(ORG_ROLES.filter((r) => can(r, "org:delete"))).toEqual(["owner"]);
    expect(ORG_ROLES.filter((r) => can(r, "data:manage"))).toEqual(["owner"]);
    expect([...PERMISSIONS.viewer].sort()).toEqual([...reads].sort());
  });
});

describe("assignableRoles", () => {
  it.each<[OrgRole, OrgRole[]]>([
    ["owner", ["owner", "admin", "billing", "member", "viewer"]],
    ["admin", ["admin", "billing", "member", "viewer"]],
    ["billing", []],
    ["member", []],
    ["viewer", []],
  ])("%s may grant %j", (role, expected) => {
    expect(assignableRoles(role)).toEqual(expected);
  });

  it("returns a copy that callers cannot use to change the rules", () => {
    assignableRoles("owner").pop();
    expect(assignableRoles("owner")).toContain("viewer");
  });
});
