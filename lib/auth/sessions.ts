import { and, eq, gt, ne } from "drizzle-orm";
import { db } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { appUrl } from "@/lib/env";
import { randomToken } from "@/lib/orgs";

export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;
// Sliding expiry: refresh the row at most once a day, as Auth.js does.
const SESSION_UPDATE_AGE_S = 24 * 60 * 60;

/** Auth.js's cookie name: the same cookie carries password and magic-link sessions. */
export function sessionCookieName() {
  return appUrl().startsWith("https://") ? "__Secure-authjs.session-token" : "authjs.session-token";
}

export function sessionCookieOptions(expires: Date) {
  return { httpOnly: true, sameSite: "lax" as const, secure: appUrl().startsWith("https://"), path: "/", expires };
}

/** The current-org cookie: like the session cookie, never readable by scripts, Secure on https. */
export function currentOrgCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: appUrl().startsWith("https://"),
    path: "/",
    maxAge: SESSION_MAX_AGE_S,
  };
}

export async function createSession(userId: string, now = new Date()) {
  const sessionToken = randomToken();
  const expires = new Date(now.getTime() + SESSION_MAX_AGE_S * 1000);
  await db().insert(sessions).values({ sessionToken, userId, expires });
  return { sessionToken, expires };
}

export type SessionUser = Pick<
  typeof users.$inferSelect,
  "id" | "name" | "email" | "emailVerified" | "operatorRole" | "totpEnrolledAt"
>;

/** The live session behind a cookie value, or null (unknown or expired). */
export async function resolveSession(sessionToken: string | undefined, now = new Date()) {
  if (!sessionToken || sessionToken.length > 200) return null;
  const rows = await db()
    .select({
      sessionToken: sessions.sessionToken,
      expires: sessions.expires,
      mfaVerifiedAt: sessions.mfaVerifiedAt,
      user: {
        id: users.id,
        name: users.name,
        email: users.email,
        emailVerified: users.emailVerified,
        operatorRole: users.operatorRole,
        totpEnrolledAt: users.totpEnrolledAt,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, sessionToken), gt(sessions.expires, now)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  if (row.expires.getTime() - now.getTime() < (SESSION_MAX_AGE_S - SESSION_UPDATE_AGE_S) * 1000) {
    const expires = new Date(now.getTime() + SESSION_MAX_AGE_S * 1000);
    await db().update(sessions).set({ expires }).where(eq(sessions.sessionToken, sessionToken));
    row.expires = expires;
  }
  return row;
}

export async function deleteSession(sessionToken: string) {
  await db().delete(sessions).where(eq(sessions.sessionToken, sessionToken));
}

/** Signs the user out everywhere (password change, operator action), optionally keeping one session. */
export async function revokeAllSessions(userId: string, keepSessionToken?: string) {
  const deleted = await db()
    .delete(sessions)
    .where(
      keepSessionToken
        ? and(eq(sessions.userId, userId), ne(sessions.sessionToken, keepSessionToken))
        : eq(sessions.userId, userId),
    )
    .returning({ token: sessions.sessionToken });
  return deleted.length;
}
