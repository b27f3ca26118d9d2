import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstIssueByField, formText } from "@/tests/support/rule-agreement";
import { alertProblems, type AlertBody } from "./body-rules";
import { createAlertSchema } from "./schemas";

const codes = fc.array(fc.oneof(formText, fc.constantFrom("5415", "31-33", "va", "MD", "sba", "8A", "SDVOSBC")), {
  maxLength: 4,
});

const bodyArb: fc.Arbitrary<AlertBody> = fc.record(
  {
    name: formText,
    frequency: fc.oneof(fc.constantFrom("instant", "daily", "weekly"), formText),
    q: fc.oneof(formText, fc.constant("x".repeat(501))),
    naics: fc.oneof(codes, fc.array(fc.constant("5415"), { minLength: 49, maxLength: 52 })),
    states: codes,
    set_asides: fc.oneof(codes, fc.array(fc.constant("SBA"), { minLength: 19, maxLength: 22 })),
    delivery_email: formText,
    digest_limit: fc.oneof(formText, fc.constantFrom("1", "25", "50", "51", "0", "2.5", " 7 ", "-3", "1e1", "")),
  },
  { requiredKeys: ["name", "frequency", "q", "naics", "states", "set_asides"] },
);

describe("alert form rules", () => {
  it("alertProblems reports, field by field, the first problem createAlertSchema reports", () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        expect(alertProblems(body)).toEqual(firstIssueByField(createAlertSchema, body));
      }),
      { numRuns: 1500 },
    );
  });

  it("names the list item at fault", () => {
    expect(
      alertProblems({ name: "Cyber", frequency: "daily", q: "", naics: ["5415", "54x"], states: [], set_asides: [] }),
    ).toEqual({
      naics: { index: 1, message: "A NAICS code has 2 to 6 digits (or a range sector like 31-33)." },
    });
  });
});
