import { z } from "zod";
import { ORG_ROLES } from "./permissions";

// Shared by route handlers and browser forms (no server imports).

export const inviteMemberSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254).pipe(z.email("Enter a valid e-mail address.")),
    role: z.enum(ORG_ROLES, { message: "Choose a role." }),
  })
  .strict();

export const updateMemberRoleSchema = z.object({ role: z.enum(ORG_ROLES, { message: "Choose a role." }) }).strict();

export const acceptInvitationSchema = z.object({ token: z.string().min(10).max(200) }).strict();

export const createApiKeySchema = z
  .object({ name: z.string().trim().min(1, "Name the key, e.g. “CRM sync”.").max(80, "Use at most 80 characters.") })
  .strict();
