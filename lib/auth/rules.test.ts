import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstMessage, formText } from "@/tests/support/rule-agreement";
import { checkText } from "@/lib/validation/rules";
import { MAGIC_LINK_RULES, SIGN_IN_RULES, SIGN_UP_RULES } from "./rules";
import { magicLinkSchema, signInSchema, signUpSchema } from "./schemas";

describe("auth form rules", () => {
  const forms = [
    ["sign-up", SIGN_UP_RULES, signUpSchema],
    ["sign-in", SIGN_IN_RULES, signInSchema],
    ["magic link", MAGIC_LINK_RULES, magicLinkSchema],
  ] as const;

  for (const [form, rules, schema] of forms) {
    it(`${form}: every field the form checks inline gets the server's verdict and message`, () => {
      expect(Object.keys(rules).sort()).toEqual(Object.keys(schema.shape).sort());
      for (const [field, fieldRules] of Object.entries(rules)) {
        const fieldSchema = schema.shape[field as keyof typeof schema.shape];
        fc.assert(
          fc.property(formText, (value) => {
            expect(checkText(fieldRules, value)).toBe(firstMessage(fieldSchema, value));
          }),
          { numRuns: 500 },
        );
      }
    });
  }

  it("examples the forms show", () => {
    expect(checkText(SIGN_UP_RULES.email, "ann@")).toBe("Enter a valid e-mail address.");
    expect(checkText(SIGN_UP_RULES.password, "short")).toBe("Use at least 10 characters.");
    expect(checkText(SIGN_UP_RULES.name, "   ")).toBe("Tell us your name.");
    expect(checkText(SIGN_IN_RULES.email, " Ann@Example.com ")).toBeNull();
  });
});
