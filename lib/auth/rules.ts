import { EMAIL_RULES, type TextRules } from "@/lib/validation/rules";

// Browser-safe field rules of the auth forms: ./schemas.ts builds the server's zod schemas from
// them and the forms check them inline, without shipping zod.

export const PASSWORD_RULES = {
  min: [10, "Use at least 10 characters."],
  max: [200, "Use at most 200 characters."],
} satisfies TextRules;

export const SIGN_UP_RULES = {
  name: { trim: true, min: [1, "Tell us your name."], max: [120, "Use at most 120 characters."] },
  email: EMAIL_RULES,
  password: PASSWORD_RULES,
  organizationName: { trim: true, max: [120, "Use at most 120 characters."] },
} satisfies Record<string, TextRules>;

export const SIGN_IN_RULES = {
  email: EMAIL_RULES,
  password: { min: [1, "Enter your password."], max: [200, "Use at most 200 characters."] },
} satisfies Record<string, TextRules>;

export const MAGIC_LINK_RULES = { email: EMAIL_RULES } satisfies Record<string, TextRules>;
