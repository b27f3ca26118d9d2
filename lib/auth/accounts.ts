import { and, eq, gt, isNull } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { db, type DbOrTx } from "@/db/client";
import { withSystem } from "@/db/tenant";
import { emailTokens, users } from "@/db/schema";
import { appUrl } from "@/lib/env";
import { flagEnabled } from "@/lib/flags";
import { AppError, validate } from "@/lib/http";
import { deliverOutboxNow, enqueueOutbox, sendEmailNow } from "@/lib/outbox";
import { createOrganizationWithOwner, findUserByEmail, randomToken, sha256 } from "@/lib/orgs";
import { logger } from "@/lib/observability";
import type { PlanId } from "@/lib/plans";
import { hashPassword, verifyPassword } from "./passwords";
import { emailSchema, passwordSchema, signInSchema, signUpSchema } from "./schemas";
import { createSession, revokeAllSessions } from "./sessions";

export { emailSchema, signUpSchema, signInSchema } from "./schemas";

export type SignUpInput = import("zod").input<typeof signUpSchema>;

const VERIFY_TTL_MS = 48 * 60 * 60 * 1000;
const RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Creates the user, their organisation (they own it) and a session. An e-mail that already has
 * an account gets a "someone tried to sign up" message instead, and the caller only learns
 * that sign-up could not proceed, not why.
 */
export async function signUp(input: SignUpInput) {
  const data = validate(signUpSchema, input);
  if (!(await flagEnabled("signups")))
    throw new AppError("not_ready", SIGNUPS_PAUSED, { headers: { "retry-after": "3600" } });
  const passwordHash = await hashPassword(data.password);
  const existing = await findUserByEmail(data.email);
  if (existing) {
    // Each attempt is its own message, so the dedupe key is fresh.
    await sendEmailNow({
      dedupeKey: `signup_existing_account:${randomUUID()}`,
      email: {
        kind: "signup_existing_account",
        to: data.email,
        subject: "Someone tried to create a Beacon account with your e-mail",
        text: `Someone (hopefully you) tried to sign up for Beacon with this address, which already has an account.\n\nSign in: ${appUrl()}/sign-in\nForgot your password? ${appUrl()}/forgot-password\n\nIf it wasn't you, you can ignore this message.`,
      },
    });
    throw new AppError("conflict", DUPLICATE_ACCOUNT);
  }
  const created = await createUserWithOrganization({
    name: data.name,
    email: data.email,
    passwordHash,
    organizationName: data.organizationName,
    sendVerification: true,
  });
  await deliverOutboxNow(created.outboxIds);
  const session = await createSession(created.userId);
  logger.info({ userId: created.userId, orgId: created.orgId }, "user signed up");
  return { ...created, session };
}

export const SIGNUPS_PAUSED =
  "New sign-ups are paused for a little while. Please try again later; if you were invited to a team, your invitation link still works.";

const DUPLICATE_ACCOUNT =
  "We could not create an account with these details. If you already have one, sign in or reset your password.";

/**
 * One transaction: the user, their organisation, their owner membership and, when asked, the
 * verification e-mail's outbox row (the caller delivers `outboxIds` after commit).
 */
export async function createUserWithOrganization(input: {
  name: string;
  email: string;
  passwordHash: string;
  organizationName?: string;
  plan?: PlanId;
  emailVerified?: Date | null;
  sendVerification?: boolean;
}) {
  const orgName = input.organizationName || `${input.name}'s organisation`;
  try {
    return await withSystem("accounts", async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          name: input.name,
          email: input.email.trim().toLowerCase(),
          passwordHash: input.passwordHash,
          emailVerified: input.emailVerified ?? null,
        })
        .returning({ id: users.id, email: users.email });
      const org = await createOrganizationWithOwner(tx, { name: orgName, ownerUserId: user!.id, plan: input.plan });
      const outboxIds = input.sendVerification ? [await enqueueVerificationEmail(tx, user!.id, user!.email)] : [];
      return { userId: user!.id, email: user!.email, orgId: org.id, outboxIds };
    });
  } catch (error) {
    // A concurrent sign-up for the same address lost the race on the unique index.
    if (isUniqueViolation(error)) throw new AppError("conflict", DUPLICATE_ACCOUNT);
    throw error;
  }
}

function isUniqueViolation(error: unknown) {
  const e = error as { code?: string; cause?: { code?: string } };
  return e.code === "23505" || e.cause?.code === "23505";
}

/** Checks e-mail and password; the same error for an unknown e-mail and a wrong password. */
export async function signInWithPassword(input: { email: string; password: string }) {
  const data = validate(signInSchema, input);
  const user = await findUserByEmail(data.email);
  const ok = await verifyPassword(user?.passwordHash, data.password);
  if (!user || !ok) throw new AppError("unauthorized", "That e-mail and password do not match an account.");
  const session = await createSession(user.id);
  return { userId: user.id, session };
}

async function issueEmailToken(tx: DbOrTx, userId: string, purpose: "verify_email" | "password_reset", ttlMs: number) {
  const token = randomToken();
  const [row] = await tx
    .insert(emailTokens)
    .values({ userId, purpose, tokenHash: sha256(token), expiresAt: new Date(Date.now() + ttlMs) })
    .returning({ id: emailTokens.id });
  return { token, tokenId: row!.id };
}

/** Marks the single-use token used and returns its user, or throws 404 when unusable. */
async function consumeEmailToken(token: string, purpose: "verify_email" | "password_reset", now = new Date()) {
  const [row] = await db()
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tokenHash, sha256(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning({ userId: emailTokens.userId });
  if (!row) throw new AppError("not_found", "This link is invalid, already used or expired.");
  return row.userId;
}

/** The token and its e-mail commit together: no link without its message, no message without its link. */
async function enqueueVerificationEmail(tx: DbOrTx, userId: string, email: string) {
  const { token, tokenId } = await issueEmailToken(tx, userId, "verify_email", VERIFY_TTL_MS);
  const url = `${appUrl()}/verify-email?token=${token}`;
  const queued = await enqueueOutbox(tx, {
    kind: "email",
    dedupeKey: `verify_email:${tokenId}`,
    payload: {
      kind: "verify_email",
      to: email,
      subject: "Confirm your e-mail for Beacon",
      text: "Welcome to Beacon.\n\nConfirm your e-mail address: {{link}}\n\nThe link expires in 48 hours.",
      secrets: { link: url },
    },
  });
  return queued.id;
}

export async function sendVerificationEmail(userId: string, email: string) {
  const outboxId = await withSystem("accounts", (tx) => enqueueVerificationEmail(tx, userId, email));
  await deliverOutboxNow([outboxId]);
}

export async function verifyEmail(token: string) {
  const userId = await consumeEmailToken(token, "verify_email");
  await db()
    .update(users)
    .set({ emailVerified: new Date() })
    .where(and(eq(users.id, userId), isNull(users.emailVerified)));
  return { userId };
}

/** Always succeeds from the caller's view; only an existing account gets a reset link. */
export async function requestPasswordReset(emailInput: string) {
  const email = validate(emailSchema, emailInput);
  const user = await findUserByEmail(email);
  if (!user) return;
  const outboxId = await withSystem("accounts", async (tx) => {
    const { token, tokenId } = await issueEmailToken(tx, user.id, "password_reset", RESET_TTL_MS);
    const queued = await enqueueOutbox(tx, {
      kind: "email",
      dedupeKey: `password_reset:${tokenId}`,
      payload: {
        kind: "password_reset",
        to: user.email,
        subject: "Reset your Beacon password",
        text: "Reset your password: {{link}}\n\nThe link works once and expires in 1 hour. If you did not ask for it, ignore this e-mail.",
        secrets: { link: `${appUrl()}/reset-password?token=${token}` },
      },
    });
    return queued.id;
  });
  await deliverOutboxNow([outboxId]);
}

/** Sets a new password from a reset link, signs out every session and starts a new one. */
export async function resetPassword(token: string, newPassword: string) {
  const password = validate(passwordSchema, newPassword);
  const userId = await consumeEmailToken(token, "password_reset");
  const passwordHash = await hashPassword(password);
  // Reading the link proves control of the address.
  await db().update(users).set({ passwordHash, emailVerified: new Date() }).where(eq(users.id, userId));
  await revokeAllSessions(userId);
  return { userId, session: await createSession(userId) };
}

export async function changePassword(
  userId: string,
  currentPassword: string,
  newPassword: string,
  keepSessionToken?: string,
) {
  const password = validate(passwordSchema, newPassword);
  const [user] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError("validation_failed", "Your current password is not correct.", {
      errors: [{ path: "currentPassword", message: "Not correct." }],
    });
  }
  await db()
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, userId));
  return { revoked: await revokeAllSessions(userId, keepSessionToken) };
}
