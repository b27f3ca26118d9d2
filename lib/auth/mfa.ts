import { and, eq, isNull, lt, or } from "drizzle-orm";
import QRCode from "qrcode";
import { db } from "@/db/client";
import { withSystem } from "@/db/tenant";
import { sessions, users } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError } from "@/lib/http";
import { enforceRateLimit, RATE_LIMITS, rateLimitedError, rateLimiter } from "@/lib/ratelimit";
import { revokeAllSessions } from "./sessions";
import { matchTotpStep, newTotpSecret, totpUrl } from "./totp";

/** Wrong codes per operator before a pause: 6-digit codes must not be guessable by brute force. */
export const MFA_ATTEMPTS = RATE_LIMITS.mfaWrongCodesPerOperator;

export interface MfaEnrolment {
  enrolled: boolean;
  /** Only while not enrolled: the secret to add to an authenticator app, as a QR code and as text. */
  otpauthUrl: string | null;
  qrSvg: string | null;
  secret: string | null;
}

/** What the TOTP page shows an operator: a code prompt, or the enrolment QR code first. */
export async function mfaEnrolment(userId: string): Promise<MfaEnrolment> {
  const [user] = await db()
    .select({
      email: users.email,
      secret: users.totpSecret,
      enrolledAt: users.totpEnrolledAt,
      role: users.operatorRole,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.role) throw new AppError("forbidden", "Operators only.");
  if (!user.secret)
    throw new AppError("conflict", "No authenticator is set up for this operator: ask an ops_admin to reset it.");
  if (user.enrolledAt) return { enrolled: true, otpauthUrl: null, qrSvg: null, secret: null };
  const otpauthUrl = totpUrl(user.email, user.secret);
  return {
    enrolled: false,
    otpauthUrl,
    qrSvg: await QRCode.toString(otpauthUrl, { type: "svg", margin: 1, width: 200 }),
    secret: user.secret,
  };
}

/**
 * Checks an operator's 6-digit code and marks THIS session verified (the cockpit and
 * /api/admin/* require it). The first valid code completes enrolment. Wrong codes are counted
 * per operator; once MFA_ATTEMPTS are used up every code, even the right one, is refused until
 * the window passes. Right codes are not counted, so signing in often never locks anyone out.
 * A wrong code changes nothing else.
 */
export async function verifyOperatorMfa(sessionToken: string, userId: string, code: string, now = new Date()) {
  const failures = `mfa:user:${userId}`;
  const status = await rateLimiter().peek(failures, MFA_ATTEMPTS);
  if (!status.success) throw rateLimitedError(status, MFA_ATTEMPTS, Date.now(), "Too many wrong codes.");
  const [user] = await db()
    .select({
      secret: users.totpSecret,
      enrolledAt: users.totpEnrolledAt,
      role: users.operatorRole,
      email: users.email,
      lastStep: users.totpLastStep,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.role || !user.secret) throw new AppError("forbidden", "Operators only.");
  const step = await matchTotpStep(user.secret, code.trim(), user.lastStep);
  if (step === null) {
    await enforceRateLimit(failures, MFA_ATTEMPTS);
    const reused = user.lastStep !== null && (await matchTotpStep(user.secret, code.trim())) !== null;
    throw new AppError(
      "validation_failed",
      reused
        ? "That code was already used. Wait for the next one."
        : "That code is not valid. Check your authenticator app's clock and try the current code.",
    );
  }
  await withSystem("ops-cockpit", async (tx) => {
    // Conditional on the step: of two concurrent sign-ins with one code, only one gets through.
    const [accepted] = await tx
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id });
    if (!accepted) throw new AppError("validation_failed", "That code was already used. Wait for the next one.");
    await tx.update(sessions).set({ mfaVerifiedAt: now }).where(eq(sessions.sessionToken, sessionToken));
    if (!user.enrolledAt) {
      await tx.update(users).set({ totpEnrolledAt: now }).where(eq(users.id, userId));
      await recordAudit(tx, {
        actor: { type: "operator", id: userId, email: user.email },
        action: "ops.mfa.enrolled",
        target: { type: "operator", id: userId },
        at: now,
      });
    }
  });
}

/**
 * Recovery by another ops_admin: a new secret, enrolment to redo at next sign-in, and every
 * session of that operator signed out. Audited. An operator cannot reset themselves.
 */
export async function resetOperatorTotp(
  targetUserId: string,
  actor: AuditActor & { id: string },
  requestId: string | null = null,
  now = new Date(),
) {
  if (targetUserId === actor.id) throw new AppError("forbidden", "Ask another ops_admin to reset your authenticator.");
  const [target] = await db()
    .select({ email: users.email, role: users.operatorRole })
    .from(users)
    .where(eq(users.id, targetUserId));
  if (!target?.role) throw new AppError("not_found", "No such operator.");
  const { secret } = newTotpSecret(target.email);
  await withSystem("ops-cockpit", async (tx) => {
    await tx
      .update(users)
      .set({ totpSecret: secret, totpEnrolledAt: null, totpLastStep: null })
      .where(eq(users.id, targetUserId));
    await recordAudit(tx, {
      actor,
      action: "ops.mfa.reset",
      target: { type: "operator", id: targetUserId },
      reason: "authenticator recovery",
      requestId,
      at: now,
    });
  });
  const revoked = await revokeAllSessions(targetUserId);
  return { revokedSessions: revoked };
}
