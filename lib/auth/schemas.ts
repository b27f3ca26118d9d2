import { z } from "zod";

// Shared by server and browser (inline validation): no server-only imports here.

export const passwordSchema = z.string().min(10, "Use at least 10 characters.").max(200, "Use at most 200 characters.");

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That e-mail address is too long.")
  .pipe(z.email("Enter a valid e-mail address."));

export const signUpSchema = z
  .object({
    name: z.string().trim().min(1, "Tell us your name.").max(120, "Use at most 120 characters."),
    email: emailSchema,
    password: passwordSchema,
    organizationName: z.string().trim().max(120, "Use at most 120 characters.").optional().default(""),
  })
  .strict();

export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1, "Enter your password.").max(200) }).strict();

export const magicLinkSchema = z.object({ email: emailSchema }).strict();

export const resetPasswordSchema = z
  .object({ token: z.string().min(10).max(200), password: passwordSchema, confirm: z.string().max(200) })
  .strict()
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password.").max(200), newPassword: passwordSchema })
  .strict();
