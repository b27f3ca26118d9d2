import { z } from "zod";
import { textSchema } from "@/lib/validation";
import { ORG_ROLES } from "./permissions";
import { CREATE_API_KEY_RULES, INVITE_MEMBER_RULES } from "./rules";

// Route handlers parse with these; the browser forms check the same rules (./rules.ts) without zod.

export const inviteMemberSchema = z
  .object({
    email: textSchema(INVITE_MEMBER_RULES.email),
    // An enum (not text rules) so the output is typed as a role; the rule's list and message are the same.
    role: z.enum(ORG_ROLES, { message: INVITE_MEMBER_RULES.role.oneOf[1] }),
  })
  .strict();

export const updateMemberRoleSchema = z.object({ role: z.enum(ORG_ROLES, { message: "Choose a role." }) }).strict();

export const acceptInvitationSchema = z.object({ token: z.string().min(10).max(200) }).strict();

export const createApiKeySchema = z.object({ name: textSchema(CREATE_API_KEY_RULES.name) }).strict();
