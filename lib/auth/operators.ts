import { eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { AppError, validate } from "@/lib/http";
import { findUserByEmail } from "@/lib/orgs";
import { emailSchema, passwordSchema } from "./schemas";
import { OPERATOR_ROLES, type OperatorRole } from "./operator-permissions";
import { hashPassword } from "./passwords";
import { newTotpSecret } from "./totp";

export const createOperatorSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    role: z.enum(OPERATOR_ROLES),
    name: z.string().trim().max(120).optional(),
  })
  .strict();

/**
 * Makes an operator: a new user, or an existing user promoted (their password is replaced).
 * A TOTP secret is created now; the otpauth URL is returned once for the authenticator app.
 */
export async function createOperator(input: z.input<typeof createOperatorSchema>) {
  const data = validate(createOperatorSchema, input);
  const passwordHash = await hashPassword(data.password);
  const totp = newTotpSecret(data.email);
  const existing = await findUserByEmail(data.email);
  const values = {
    operatorRole: data.role as OperatorRole,
    passwordHash,
    totpSecret: totp.secret,
    totpEnrolledAt: null,
    emailVerified: new Date(),
  };
  let userId: string;
  if (existing) {
    await db().update(users).set(values).where(eq(users.id, existing.id));
    userId = existing.id;
  } else {
    const [row] = await db()
      .insert(users)
      .values({ email: data.email, name: data.name ?? data.email.split("@")[0]!, ...values })
      .returning({ id: users.id });
    userId = row!.id;
  }
  return { userId, totpSecret: totp.secret, otpauthUrl: totp.otpauthUrl };
}

export async function operatorRoleOf(userId: string): Promise<OperatorRole | null> {
  const [row] = await db().select({ role: users.operatorRole }).from(users).where(eq(users.id, userId));
  if (!row) throw new AppError("not_found", "No such user.");
  return row.role;
}
