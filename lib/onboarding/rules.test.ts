import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstIssueByField, firstMessage, formText } from "@/tests/support/rule-agreement";
import { checkText } from "@/lib/validation/rules";
import { SET_ASIDE_CODES, STATE_CODES } from "./codes";
import { SET_ASIDE_OPTIONS, US_STATES } from "./options";
import { COMPANY_NAME_RULES, FIRST_ALERT_RULES, KEYWORD_RULES, profileProblems, type ProfileBody } from "./rules";
import { businessProfileSchema, companyNameSchema, firstAlertSchema, keywordSchema } from "./schemas";

const keyword = fc.oneof(formText, fc.constantFrom("cyber", "Cyber", "zero  trust", "a".repeat(39), "b".repeat(41)));
const profileArb: fc.Arbitrary<ProfileBody> = fc.record({
  companyName: formText,
  naicsCodes: fc.array(fc.oneof(formText, fc.constantFrom("5415", "31-33", "236220")), { maxLength: 22 }),
  keywords: fc.oneof(
    fc.array(keyword, { maxLength: 22 }),
    fc.array(fc.stringMatching(/^[a-z]{30,39}$/), { minLength: 12, maxLength: 20 }),
  ),
  setAsides: fc.array(fc.oneof(fc.constantFrom(...SET_ASIDE_CODES, "sba", " 8a "), formText), { maxLength: 4 }),
  states: fc.array(fc.oneof(fc.constantFrom(...STATE_CODES, "va"), formText), { maxLength: 4 }),
});

describe("onboarding form rules", () => {
  it("the codes the browser checks are the labelled options' codes, in order", () => {
    expect(SET_ASIDE_CODES).toEqual(SET_ASIDE_OPTIONS.map((o) => o.code));
    expect(STATE_CODES).toEqual(US_STATES.map((s) => s.code));
  });

  it("profileProblems reports, field by field, the first message businessProfileSchema reports", () => {
    fc.assert(
      fc.property(profileArb, (body) => {
        const expected = Object.fromEntries(
          Object.entries(firstIssueByField(businessProfileSchema, body)).map(([field, issue]) => [
            field,
            issue.message,
          ]),
        );
        expect(profileProblems(body)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("company name, keyword and first-alert fields get the server's verdict and message", () => {
    const pairs = [
      [COMPANY_NAME_RULES, companyNameSchema],
      [KEYWORD_RULES, keywordSchema],
      ...Object.entries(FIRST_ALERT_RULES).map(
        ([field, rules]) => [rules, firstAlertSchema.shape[field as keyof typeof firstAlertSchema.shape]] as const,
      ),
    ] as const;
    expect(Object.keys(FIRST_ALERT_RULES).sort()).toEqual(Object.keys(firstAlertSchema.shape).sort());
    const text = fc.oneof(formText, keyword, fc.constantFrom("daily", "weekly", "instant"));
    for (const [rules, schema] of pairs) {
      fc.assert(
        fc.property(text, (value) => {
          expect(checkText(rules, value)).toBe(firstMessage(schema, value));
        }),
        { numRuns: 500 },
      );
    }
  });

  it("keywords too long together are refused once the list itself is fine", () => {
    const keywords = Array.from({ length: 15 }, (_, i) => `${String.fromCharCode(97 + i)}${"x".repeat(35)}`);
    expect(profileProblems({ companyName: "Acme", naicsCodes: ["5415"], keywords, setAsides: [], states: [] })).toEqual(
      {
        keywords: "Those keywords are too long together: remove a few.",
      },
    );
  });
});
