import { EMAIL_RULES, type TextRules } from "@/lib/validation/rules";
import { ORG_ROLES } from "./permissions";

// Browser-safe field rules of the team and API-key forms; ./schemas.ts builds the zod schemas
// from them, the forms check them before sending, without shipping zod.

export const INVITE_MEMBER_RULES = {
  email: EMAIL_RULES,
  role: { oneOf: [ORG_ROLES, "Choose a role."] },
} satisfies Record<string, TextRules>;

export const CREATE_API_KEY_RULES = {
  name: { trim: true, min: [1, "Name the key, e.g. “CRM sync”."], max: [80, "Use at most 80 characters."] },
} satisfies Record<string, TextRules>;
