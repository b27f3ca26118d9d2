import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstMessage, formText } from "@/tests/support/rule-agreement";
import { checkText } from "@/lib/validation/rules";
import { ORG_ROLES } from "./permissions";
import { CREATE_API_KEY_RULES, INVITE_MEMBER_RULES } from "./rules";
import { createApiKeySchema, inviteMemberSchema } from "./schemas";

describe("team and API-key form rules", () => {
  const text = fc.oneof(formText, fc.constantFrom(...ORG_ROLES));
  const forms = [
    ["invite", INVITE_MEMBER_RULES, inviteMemberSchema],
    ["API key", CREATE_API_KEY_RULES, createApiKeySchema],
  ] as const;

  for (const [form, rules, schema] of forms) {
    it(`${form}: the browser's check gives the server's verdict and message for every field`, () => {
      expect(Object.keys(rules).sort()).toEqual(Object.keys(schema.shape).sort());
      for (const [field, fieldRules] of Object.entries(rules)) {
        const fieldSchema = schema.shape[field as keyof typeof schema.shape];
        fc.assert(
          fc.property(text, (value) => {
            expect(checkText(fieldRules, value)).toBe(firstMessage(fieldSchema, value));
          }),
          { numRuns: 500 },
        );
      }
    });
  }

  it("examples the forms show", () => {
    expect(checkText(INVITE_MEMBER_RULES.role, "")).toBe("Choose a role.");
    expect(checkText(INVITE_MEMBER_RULES.role, "viewer")).toBeNull();
    expect(checkText(CREATE_API_KEY_RULES.name, "  ")).toBe("Name the key, e.g. “CRM sync”.");
  });
});
