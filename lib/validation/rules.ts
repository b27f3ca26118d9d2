// Browser-safe and zod-free: form components import these to check fields as people type, and
// the server's zod schemas are built from the same rules (./zod.ts), so the two cannot drift
// while zod itself (~30 kB gzip) stays out of the pages' JavaScript.

/** The e-mail pattern zod 4 uses for `z.email()` (its `regexes.email`; a test keeps them equal). */
export const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

/** A person's e-mail address (sign-up, sign-in, invitations): every form that asks for one checks it the same way. */
export const EMAIL_RULES = {
  trim: true,
  case: "lower",
  max: [254, "That e-mail address is too long."],
  email: "Enter a valid e-mail address.",
} satisfies TextRules;

/** The rules of one text field, checked in this order; the first broken one gives the message. */
export interface TextRules {
  /** Message when the value is not text at all (only the server can receive such a value). */
  notText?: string;
  /** Whitespace runs become one space, then the ends are trimmed. */
  collapseSpaces?: boolean;
  trim?: boolean;
  case?: "lower" | "upper";
  min?: readonly [length: number, message: string];
  max?: readonly [length: number, message: string];
  pattern?: readonly [pattern: RegExp, message: string];
  /** Only checked when every rule above holds (the schema pipes into `z.email`). */
  email?: string;
  /** One of these values (checked after normalising, like the rules above). */
  oneOf?: readonly [values: readonly string[], message: string];
}

/** The value the field stands for: what the server stores after its zod schema parses it. */
export function normaliseText(rules: TextRules, value: string): string {
  let out = rules.collapseSpaces ? value.replace(/\s+/g, " ").trim() : value;
  if (rules.trim) out = out.trim();
  if (rules.case === "lower") out = out.toLowerCase();
  else if (rules.case === "upper") out = out.toUpperCase();
  return out;
}

/** The message for the first broken rule, or null when `value` is acceptable. */
export function checkText(rules: TextRules, value: string): string | null {
  const v = normaliseText(rules, value);
  // Length is counted in UTF-16 code units, as zod's min/max do.
  if (rules.min && v.length < rules.min[0]) return rules.min[1];
  if (rules.max && v.length > rules.max[0]) return rules.max[1];
  if (rules.pattern && !rules.pattern[0].test(v)) return rules.pattern[1];
  if (rules.email !== undefined && !EMAIL_PATTERN.test(v)) return rules.email;
  if (rules.oneOf && !rules.oneOf[0].includes(v)) return rules.oneOf[1];
  return null;
}

/** Rules of a list of texts (codes, keywords): each item, then how many. */
export interface ListRules {
  item: TextRules;
  min?: readonly [count: number, message: string];
  max: readonly [count: number, message: string];
}

/**
 * The first problem of a list, as zod reports it: too many items (zod checks that before
 * parsing them), then the first bad item with its index, then too few. Null when acceptable.
 */
export function checkList(
  rules: ListRules,
  values: readonly string[],
): { index: number | null; message: string } | null {
  if (values.length > rules.max[0]) return { index: null, message: rules.max[1] };
  for (const [index, value] of values.entries()) {
    const message = checkText(rules.item, value);
    if (message) return { index, message };
  }
  if (rules.min && values.length < rules.min[0]) return { index: null, message: rules.min[1] };
  return null;
}
