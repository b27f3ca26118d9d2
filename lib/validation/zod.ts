import { z } from "zod";
import { EMAIL_PATTERN, normaliseText, type ListRules, type TextRules } from "./rules";

/**
 * The zod schema of a text field from its rules (./rules.ts): the server parses with it and the
 * browser checks the same rules with `checkText`. Output is the normalised text.
 */
export function textSchema(rules: TextRules): z.ZodType<string, string> {
  let schema = z.string(rules.notText ? { message: rules.notText } : undefined);
  if (rules.collapseSpaces || rules.trim || rules.case) schema = schema.overwrite((v) => normaliseText(rules, v));
  if (rules.min) schema = schema.min(rules.min[0], rules.min[1]);
  if (rules.max) schema = schema.max(rules.max[0], rules.max[1]);
  if (rules.pattern) schema = schema.regex(rules.pattern[0], rules.pattern[1]);
  let out: z.ZodType<string, string> = schema;
  // Piped, as `.pipe(z.email())` was: the address is only judged once the rules above hold.
  if (rules.email !== undefined) out = out.pipe(z.email({ message: rules.email, pattern: EMAIL_PATTERN }));
  if (rules.oneOf) {
    const [values, message] = rules.oneOf;
    out = out.pipe(z.enum(values as [string, ...string[]], { message }));
  }
  return out;
}

/** A list of texts from its rules: the size first, then each item (zod's own order). */
export function listSchema(rules: ListRules, notList?: string): z.ZodType<string[], string[]> {
  let array = z
    .array(textSchema(rules.item), notList ? { message: notList } : undefined)
    .max(rules.max[0], rules.max[1]);
  if (rules.min) array = array.min(rules.min[0], rules.min[1]);
  return array;
}
