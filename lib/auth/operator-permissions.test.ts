import { describe, expect, it } from "vitest";
import {
  OPERATOR_ACTIONS,
  OPERATOR_PERMISSIONS,
  OPERATOR_ROLES,
  operatorCan,
  type OperatorAction,
} from "@/lib/auth/operator-permissions";

// Written out by hand: ops_admin everything; ops_support acts on customers but not destructively
// or with money; ops_viewer only reads (PII masked).
//                                          admin  support viewer
const EXPECTED: Record<OperatorAction, [boolean, boolean, boolean]> = {
  "ops:read": [true, true, true],
  "ops:read_pii": [true, true, false],
  "customers:act": [true, true, false],
  "jobs:rerun": [true, true, false],
  "jobs:cancel": [true, true, false],
  "jobs:pause": [true, false, false],
  "dead_letters:replay": [true, true, false],
  "dead_letters:discard": [true, false, false],
  "stripe_events:reprocess": [true, true, false],
  "money:act": [true, false, false],
  "exports:accounting": [true, false, false],
  "customers:delete": [true, false, false],
  "operators:manage": [true, false, false],
  "break_glass:start": [true, false, false],
  "flags:manage": [true, false, false],
};

describe("operator permissions", () => {
  it("the table covers exactly the roles and actions that exist", () => {
    expect([...OPERATOR_ROLES]).toEqual(["ops_admin", "ops_support", "ops_viewer"]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...OPERATOR_ACTIONS].sort());
    expect(Object.keys(OPERATOR_PERMISSIONS).sort()).toEqual([...OPERATOR_ROLES].sort());
  });

  OPERATOR_ROLES.forEach((role, column) => {
    for (const action of OPERATOR_ACTIONS) {
      const expected = EXPECTED[action][column];
      it(`${role} ${expected ? "can" : "cannot"} ${action}`, () => {
        expect(operatorCan(role, action)).toBe(expected);
        expect(OPERATOR_PERMISSIONS[role].has(action)).toBe(expected);
      });
    }
  });
});
