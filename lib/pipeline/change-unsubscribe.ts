import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { isUuid } from "@/db/tenant";
import { appUrl, authSecret } from "@/lib/env";
import { AppError } from "@/lib/http";

/**
 * One-click unsubscribe (RFC 8058) from "what changed" e-mails. They are a person's, across every
 * org they belong to, so the link switches off the recipient's own setting (`users.change_emails`,
 * back on at Settings → Account). The token is `c1.<user id>.<mac>`: an HMAC of the user id under
 * a key derived from AUTH_SECRET, never stored (the outbox keeps the link sealed until delivery,
 * the e-mail's record shows it hidden), and bound to that one user.
 */
const VERSION = "c1";

function key() {
  return Buffer.from(hkdfSync("sha256", authSecret(), "beacon-notice-changes", "change-unsubscribe:v1", 32));
}

const macOf = (userId: string) => createHmac("sha256", key()).update(`${VERSION}:${userId}`).digest();

export function changeUnsubscribeToken(userId: string): string {
  return [VERSION, userId, macOf(userId).toString("base64url")].join(".");
}

export function changeUnsubscribeUrl(userId: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/unsubscribe/changes/${changeUnsubscribeToken(userId)}`;
}

const invalid = () =>
  new AppError(
    "not_found",
    "This unsubscribe link is not valid. Sign in and turn “what changed” e-mails off under Settings → Account.",
  );

/** The user a token names, or a 404 for anything not minted by `changeUnsubscribeToken`. */
function verify(token: string): string {
  const [version, userId, mac, ...rest] = token.split(".");
  if (version !== VERSION || rest.length > 0 || !userId || !mac || !isUuid(userId)) throw invalid();
  const given = Buffer.from(mac, "base64url");
  const expected = macOf(userId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  return userId;
}

export interface ChangeEmailsTarget {
  /** Whether "what changed" e-mails still reach the user (false: the POST changes nothing). */
  subscribed: boolean;
}

/** What the confirmation page shows (a GET: mail scanners prefetch links, so it changes nothing). */
export async function describeChangeUnsubscribe(token: string): Promise<ChangeEmailsTarget> {
  const userId = verify(token);
  const [row] = await db().select({ on: users.changeEmails }).from(users).where(eq(users.id, userId));
  if (!row) throw invalid();
  return { subscribed: row.on };
}

/** Switches the token's user's "what changed" e-mails off, without sign-in. Repeating it changes nothing. */
export async function unsubscribeChangeEmails(token: string): Promise<ChangeEmailsTarget> {
  const userId = verify(token);
  const updated = await db()
    .update(users)
    .set({ changeEmails: false })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  if (updated.length === 0) throw invalid();
  return { subscribed: false };
}

// The member's own choice at Settings → Account, across every org they belong to.

export async function changeEmailsEnabled(userId: string): Promise<boolean> {
  const [row] = await db().select({ on: users.changeEmails }).from(users).where(eq(users.id, userId));
  return row?.on ?? true;
}

export async function setChangeEmails(userId: string, on: boolean): Promise<void> {
  await db().update(users).set({ changeEmails: on }).where(eq(users.id, userId));
}
