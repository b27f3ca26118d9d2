import { z } from "zod";
import { textSchema } from "@/lib/validation";
import { EMAIL_RULES } from "@/lib/validation/rules";
import { MAGIC_LINK_RULES, PASSWORD_RULES, SIGN_IN_RULES, SIGN_UP_RULES } from "./rules";

// Built from the browser-safe rules in ./rules.ts, which the forms check inline without zod.

export const passwordSchema = textSchema(PASSWORD_RULES);

export const emailSchema = textSchema(EMAIL_RULES);

export const signUpSchema = z
  .object({
    name: textSchema(SIGN_UP_RULES.name),
    email: emailSchema,
    password: passwordSchema,
    organizationName: textSchema(SIGN_UP_RULES.organizationName).optional().default(""),
  })
  .strict();

export const signInSchema = z.object({ email: emailSchema, password: textSchema(SIGN_IN_RULES.password) }).strict();

export const magicLinkSchema = z.object({ email: textSchema(MAGIC_LINK_RULES.email) }).strict();

export const resetPasswordSchema = z
  .object({ token: z.string().min(10).max(200), password: passwordSchema, confirm: z.string().max(200) })
  .strict()
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password.").max(200), newPassword: passwordSchema })
  .strict();
