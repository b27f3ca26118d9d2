import { z } from "zod";
import type { Env } from "@/lib/env";
import { runFormAction, type FormState } from "@/lib/http";
import { enforceAuthRateLimit, type RateLimiter } from "@/lib/ratelimit";
import { emailSchema, requestPasswordReset, signInSchema, signInWithPassword, signUp, signUpSchema } from "./accounts";
import { magicLinkSchema } from "./schemas";

/**
 * The unauthenticated forms, rate limited per client IP (and per e-mail, see
 * lib/ratelimit/auth-limits) before they do anything. A limited attempt comes back as the
 * inline error "Too many attempts. Try again in N seconds." and changes nothing. The server
 * actions in app/(auth)/actions.ts add cookies and redirects around these.
 */
export interface LimitedFormContext {
  ip: string;
  /** Tests inject a limiter and configuration; the process's ones otherwise. */
  limiter?: RateLimiter;
  config?: Env;
}

const limits = (ctx: LimitedFormContext) => ({ limiter: ctx.limiter, config: ctx.config });

export const signUpFormSchema = signUpSchema
  .extend({ callbackUrl: z.string().optional(), plan: z.string().optional() })
  .strict();

export function signUpForm(formData: FormData, ctx: LimitedFormContext) {
  return runFormAction(formData, signUpFormSchema, async ({ name, email, password, organizationName }) => {
    await enforceAuthRateLimit("sign-up", { ip: ctx.ip, email }, limits(ctx));
    return signUp({ name, email, password, organizationName });
  });
}

export function signInForm(formData: FormData, ctx: LimitedFormContext) {
  return runFormAction(
    formData,
    signInSchema.extend({ callbackUrl: z.string().optional() }).strict(),
    async ({ email, password }) => {
      await enforceAuthRateLimit("sign-in", { ip: ctx.ip, email }, limits(ctx));
      return signInWithPassword({ email, password });
    },
  );
}

/** Validates and counts a magic-link request; the caller then asks Auth.js to send the link. */
export function magicLinkForm(formData: FormData, ctx: LimitedFormContext) {
  return runFormAction(
    formData,
    magicLinkSchema.extend({ callbackUrl: z.string().optional() }).strict(),
    async (input) => {
      await enforceAuthRateLimit("magic-link", { ip: ctx.ip, email: input.email }, limits(ctx));
      return input;
    },
  );
}

export async function forgotPasswordForm(formData: FormData, ctx: LimitedFormContext): Promise<FormState> {
  const state = await runFormAction(formData, z.object({ email: emailSchema }).strict(), async ({ email }) => {
    await enforceAuthRateLimit("password-reset", { ip: ctx.ip, email }, limits(ctx));
    await requestPasswordReset(email);
  });
  if (state.status !== "success") return state;
  return {
    status: "success",
    message: "If an account uses that address, we have sent it a link to reset the password. It expires in 1 hour.",
  };
}
