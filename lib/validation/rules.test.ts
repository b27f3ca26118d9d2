import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { firstMessage, formText } from "@/tests/support/rule-agreement";
import { checkList, checkText, EMAIL_PATTERN, normaliseText, type ListRules, type TextRules } from "./rules";
import { listSchema, textSchema } from "./zod";

const rulesArb: fc.Arbitrary<TextRules> = fc.record(
  {
    collapseSpaces: fc.boolean(),
    trim: fc.boolean(),
    case: fc.constantFrom("lower" as const, "upper" as const),
    min: fc.tuple(fc.integer({ min: 0, max: 12 }), fc.constant("too short")),
    max: fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constant("too long")),
    pattern: fc.tuple(fc.constantFrom(/^[a-z0-9 ]+$/, /^\d{2,6}$/, /^[^"<>\p{Cc}]+$/u), fc.constant("bad characters")),
    email: fc.constant("not an e-mail"),
    oneOf: fc.tuple(fc.constant(["a", "b", "sba"] as const), fc.constant("not a choice")),
  },
  { requiredKeys: [] },
);

describe("field rules", () => {
  it("use zod's own e-mail pattern", () => {
    expect(EMAIL_PATTERN.source).toBe(z.regexes.email.source);
    expect(EMAIL_PATTERN.flags).toBe(z.regexes.email.flags);
  });

  it("checkText gives the verdict and message of the zod schema built from the same rules", () => {
    fc.assert(
      fc.property(rulesArb, formText, (rules, value) => {
        expect(checkText(rules, value)).toBe(firstMessage(textSchema(rules), value));
      }),
      { numRuns: 2000 },
    );
  });

  it("the schema's output is the normalised text", () => {
    fc.assert(
      fc.property(rulesArb, formText, (rules, value) => {
        const parsed = textSchema(rules).safeParse(value);
        if (parsed.success) expect(parsed.data).toBe(normaliseText(rules, value));
      }),
    );
  });

  it("checkList reports the first problem zod reports, count before items", () => {
    const listArb: fc.Arbitrary<ListRules> = fc.record(
      {
        item: rulesArb,
        min: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constant("too few")),
        max: fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constant("too many")),
      },
      { requiredKeys: ["item", "max"] },
    );
    fc.assert(
      fc.property(listArb, fc.array(formText, { maxLength: 7 }), (rules, values) => {
        const result = listSchema(rules).safeParse(values);
        const expected = result.success
          ? null
          : {
              index: typeof result.error.issues[0]?.path[0] === "number" ? result.error.issues[0].path[0] : null,
              message: result.error.issues[0]?.message,
            };
        expect(checkList(rules, values)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("examples: trimmed, lower-cased e-mail, counted after normalising", () => {
    const rules: TextRules = { trim: true, case: "lower", max: [254, "long"], email: "bad" };
    expect(checkText(rules, "  Ann@Example.COM ")).toBeNull();
    expect(normaliseText(rules, "  Ann@Example.COM ")).toBe("ann@example.com");
    expect(checkText(rules, "ann@")).toBe("bad");
    expect(checkText(rules, `${"a".repeat(250)}@example.com`)).toBe("long");
    expect(checkText({ collapseSpaces: true, min: [2, "short"] }, "  a  ")).toBe("short");
  });
});
