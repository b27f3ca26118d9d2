import fc from "fast-check";
import type { z } from "zod";

// Test helpers: the browser's rule checks must give the verdict and message the server's zod
// schema gives, for any input.

/** The message zod reports first for `value`, or null when it parses. */
export function firstMessage(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? "");
}

/** The first issue zod reports for each top-level field of an object. */
export function firstIssueByField(
  schema: z.ZodType,
  value: unknown,
): Record<string, { index: number | null; message: string }> {
  const result = schema.safeParse(value);
  const out: Record<string, { index: number | null; message: string }> = {};
  if (result.success) return out;
  for (const issue of result.error.issues) {
    const field = String(issue.path[0]);
    out[field] ??= { index: typeof issue.path[1] === "number" ? issue.path[1] : null, message: issue.message };
  }
  return out;
}

const pieces = [
  "a",
  "Z",
  "5",
  "0",
  " ",
  "  ",
  "\t",
  "@",
  ".",
  "-",
  "_",
  "+",
  "'",
  '"',
  "<",
  "é",
  "\u0007",
  "example.com",
  "x@y.io",
  "31-33",
  "sba",
  "VA",
];

/** Text of the kinds forms see: empty, spaces, e-mail-ish, codes, control characters, long runs. */
export const formText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join("")),
  fc.emailAddress(),
  fc
    .tuple(fc.constantFrom("a", "b.", " "), fc.integer({ min: 0, max: 300 }), fc.constantFrom("", "@example.com", " "))
    .map(([c, n, end]) => c.repeat(n) + end),
  fc.stringMatching(/^[0-9]{1,7}$/),
);
