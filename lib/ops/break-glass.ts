import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { withSystem } from "@/db/tenant";
import { breakGlassSessions } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { SignedInOperator } from "@/lib/auth";
import { operatorAuditActor, type OperatorActor, type ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import { cockpitContext } from "./cockpit-context";

/** API clients send the token in this header; the cockpit keeps it in the cookie below (path /admin). */
export const BREAK_GLASS_HEADER = "x-break-glass-token";
export const BREAK_GLASS_COOKIE = "beacon_break_glass";

export const startBreakGlassSchema = z
  .object({
    reason: z.string().trim().min(10, "Say why in at least 10 characters.").max(500),
    ttl_minutes: z.number().int().min(5).max(240).default(30),
  })
  .strict();

export type BreakGlassSession = typeof breakGlassSessions.$inferSelect;

// 32 random bytes: guessing is hopeless, so a plain SHA-256 (no salt, no stretching) is enough to
// keep a database reader from using the tokens it sees.
export function hashBreakGlassToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

/** Starts a time-limited write permission for the context's operator; the token is returned once, only its hash is kept. */
export async function startBreakGlass(
  ctx: ServiceContext<SignedInOperator>,
  input: z.input<typeof startBreakGlassSchema>,
) {
  const { reason, ttl_minutes } = startBreakGlassSchema.parse(input);
  const now = ctx.now();
  const token = `bg_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + ttl_minutes * 60_000);
  const session = await cockpitContext(ctx).transaction(async (tx) => {
    const [row] = await tx
      .insert(breakGlassSessions)
      .values({
        operatorId: ctx.actor.userId,
        operatorEmail: ctx.actor.email,
        reason,
        tokenHash: hashBreakGlassToken(token),
        createdAt: now,
        expiresAt,
      })
      .returning();
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      action: "ops.break_glass.started",
      target: { type: "break_glass_session", id: row!.id },
      after: { expires_at: expiresAt.toISOString(), ttl_minutes },
      reason,
      requestId: ctx.requestId,
      at: now,
    });
    return row!;
  });
  return { id: session.id, token, expiresAt };
}

/** Ends a session early (its owner or another ops_admin); ending one that already ended is a conflict. */
export async function endBreakGlass(ctx: ServiceContext<SignedInOperator>, id: string) {
  const now = ctx.now();
  if (!z.string().uuid().safeParse(id).success) throw new AppError("not_found", "No such break-glass session.");
  return cockpitContext(ctx).transaction(async (tx) => {
    const [existing] = await tx.select().from(breakGlassSessions).where(eq(breakGlassSessions.id, id)).for("update");
    if (!existing) throw new AppError("not_found", "No such break-glass session.");
    if (existing.endedAt) throw new AppError("conflict", "This break-glass session has already ended.");
    const [ended] = await tx
      .update(breakGlassSessions)
      .set({ endedAt: now, endedBy: ctx.actor.email })
      .where(eq(breakGlassSessions.id, id))
      .returning();
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      action: "ops.break_glass.ended",
      target: { type: "break_glass_session", id },
      before: { expires_at: existing.expiresAt.toISOString(), expired: existing.expiresAt <= now },
      after: { ended_at: now.toISOString() },
      requestId: ctx.requestId,
      at: now,
    });
    return ended!;
  });
}

/** The session a token belongs to, whatever its state (the caller decides what expired or ended means). */
export async function findBreakGlassByToken(token: string): Promise<BreakGlassSession | null> {
  if (!token) return null;
  const [row] = await withSystem("ops-cockpit", (tx) =>
    tx
      .select()
      .from(breakGlassSessions)
      .where(eq(breakGlassSessions.tokenHash, hashBreakGlassToken(token))),
  );
  return row ?? null;
}

export function breakGlassActive(session: BreakGlassSession, now = new Date()) {
  return !session.endedAt && session.expiresAt > now;
}

/** Sessions still running, newest first (the cockpit lists them). */
export async function activeBreakGlassSessions(ctx: ServiceContext<OperatorActor>) {
  const now = ctx.now();
  return cockpitContext(ctx).transaction((tx) =>
    tx
      .select({
        id: breakGlassSessions.id,
        operatorEmail: breakGlassSessions.operatorEmail,
        reason: breakGlassSessions.reason,
        createdAt: breakGlassSessions.createdAt,
        expiresAt: breakGlassSessions.expiresAt,
      })
      .from(breakGlassSessions)
      .where(and(isNull(breakGlassSessions.endedAt), gt(breakGlassSessions.expiresAt, now)))
      .orderBy(desc(breakGlassSessions.createdAt))
      .limit(50),
  );
}
