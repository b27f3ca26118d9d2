import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { emailMessages, emailTokens, memberships, organizations, outboxEvents, sessions, users } from "@/db/schema";
import {
  changePassword,
  createSession,
  requestPasswordReset,
  resetPassword,
  resolveSession,
  revokeAllSessions,
  signInWithPassword,
  signUp,
  SIGNUPS_PAUSED,
  verifyEmail,
} from "@/lib/auth";
import { setFlag } from "@/lib/flags";
import { latestEmailTo } from "@/lib/mail";
import { HIDDEN_LINK } from "@/lib/outbox";
import { describeEachDatabase } from "@/tests/db";
import { appErrorOf } from "@/tests/app-error";
import { operatorContextOf } from "@/tests/support/factories";
import { smtpMailboxForTests } from "@/tests/support/mailbox";

const PASSWORD = "correct horse battery";

const failure = appErrorOf;

function uniqueEmail(label: string) {
  return `${label}-${randomUUID().slice(0, 8)}@accounts.test`;
}

// Links that sign someone in reach only the recipient: the tests read them where a user would.
const mailbox = smtpMailboxForTests();

async function tokenFromLatestEmail(address: string, kind: string) {
  const record = await latestEmailTo(address, kind);
  expect(record, `${kind} e-mail to ${address}`).not.toBeNull();
  expect(record!.textBody).not.toMatch(/token=/);
  const match = /token=([A-Za-z0-9_-]+)/.exec(mailbox.latest(address, kind).text);
  expect(match).not.toBeNull();
  return match![1]!;
}

async function sessionsOf(userId: string) {
  return (await db().select().from(sessions).where(eq(sessions.userId, userId))).map((s) => s.sessionToken);
}

describeEachDatabase("accounts", () => {
  it("signUp creates the user (argon2id hash only), their org, an owner membership, a session and a verification e-mail", async () => {
    const email = uniqueEmail("Alice");
    const result = await signUp({
      name: "Alice",
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
      organizationName: "Alice Co",
    });
    expect(result.email).toBe(email.toLowerCase());

    const [user] = await db().select().from(users).where(eq(users.id, result.userId));
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    expect(user!.emailVerified).toBeNull();

    const [org] = await db().select().from(organizations).where(eq(organizations.id, result.orgId));
    expect(org!.name).toBe("Alice Co");
    const members = await db().select().from(memberships).where(eq(memberships.orgId, result.orgId));
    expect(members.map((m) => [m.userId, m.role])).toEqual([[result.userId, "owner"]]);

    expect(await sessionsOf(result.userId)).toEqual([result.session.sessionToken]);
    expect((await resolveSession(result.session.sessionToken))!.user.id).toBe(result.userId);

    const mail = await latestEmailTo(email, "verify_email");
    expect(mail).toMatchObject({ sensitive: true, textBody: expect.stringContaining(HIDDEN_LINK) });
    expect(mailbox.latest(email, "verify_email").text).toMatch(/\/verify-email\?token=/);
    // Written with the account through the outbox, and delivered before signUp returned.
    const [queued] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, mail!.id));
    expect(queued).toMatchObject({ kind: "email", status: "delivered" });
    expect(queued!.dedupeKey).toMatch(/^verify_email:/);
    expect(mail!.sentAt).toBeInstanceOf(Date);
  });

  it("signUp names the org after the person when no org name is given", async () => {
    const result = await signUp({ name: "Bob", email: uniqueEmail("bob"), password: PASSWORD });
    const [org] = await db().select().from(organizations).where(eq(organizations.id, result.orgId));
    expect(org!.name).toBe("Bob's organisation");
  });

  it("signUp with an existing e-mail in any case: conflict, no second user, a heads-up e-mail", async () => {
    const email = uniqueEmail("carol");
    await signUp({ name: "Carol", email, password: PASSWORD });
    const error = await failure(signUp({ name: "Mallory", email: email.toUpperCase(), password: "another password" }));
    expect(error.code).toBe("conflict");
    const rows = await db()
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe("Carol");
    const mail = await latestEmailTo(email, "signup_existing_account");
    expect(mail).not.toBeNull();
    expect(mail!.textBody).toContain("/forgot-password");
  });

  it("an account stored with capitals in its e-mail is still found by sign-in and sign-up", async () => {
    const email = uniqueEmail("mixed.case");
    const { userId } = await signUp({ name: "Mixed", email, password: PASSWORD });
    const stored = email.replace("mixed.case", "Mixed.Case");
    expect(stored).not.toBe(email);
    await db().update(users).set({ email: stored }).where(eq(users.id, userId));
    expect((await signInWithPassword({ email, password: PASSWORD })).userId).toBe(userId);
    expect((await failure(signUp({ name: "Again", email, password: PASSWORD }))).code).toBe("conflict");
    expect(await latestEmailTo(email, "signup_existing_account")).not.toBeNull();
  });

  it("signUp with invalid input answers validation_failed with field errors and stores nothing", async () => {
    const error = await failure(signUp({ name: "", email: "not-an-email", password: "short" }));
    expect(error.code).toBe("validation_failed");
    expect(error.extra.errors!.map((e) => e.path).sort()).toEqual(["email", "name", "password"]);
    const strict = await failure(
      signUp({ name: "Eve", email: uniqueEmail("eve"), password: PASSWORD, role: "owner" } as never),
    );
    expect(strict.code).toBe("validation_failed");
    const count = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.name, "Eve"));
    expect(count[0]!.n).toBe(0);
  });

  it("signUp while the signups flag is off: 503 with a friendly message, nothing stored", async () => {
    const operator = operatorContextOf({ email: "ops@accounts.test" });
    await setFlag(operator, "signups", { enabled: false, reason: "spam wave" });
    try {
      const email = uniqueEmail("paused");
      const error = await failure(signUp({ name: "Paused", email, password: PASSWORD }));
      expect(error).toMatchObject({ code: "not_ready", status: 503, message: SIGNUPS_PAUSED });
      expect(await db().select().from(users).where(eq(users.email, email))).toHaveLength(0);
    } finally {
      await setFlag(operator, "signups", { enabled: true });
    }
    expect((await signUp({ name: "Open Again", email: uniqueEmail("open"), password: PASSWORD })).userId).toEqual(
      expect.any(String),
    );
  });

  it("signInWithPassword: success makes a session; wrong password and unknown e-mail fail identically", async () => {
    const email = uniqueEmail("dave");
    const { userId } = await signUp({ name: "Dave", email, password: PASSWORD });
    const ok = await signInWithPassword({ email: email.toUpperCase(), password: PASSWORD });
    expect(ok.userId).toBe(userId);
    expect((await resolveSession(ok.session.sessionToken))!.user.email).toBe(email);

    const wrong = await failure(signInWithPassword({ email, password: "not the password" }));
    const unknown = await failure(signInWithPassword({ email: uniqueEmail("nobody"), password: PASSWORD }));
    expect(wrong.code).toBe("unauthorized");
    expect([unknown.code, unknown.message, unknown.status]).toEqual([wrong.code, wrong.message, wrong.status]);
    expect(await sessionsOf(userId)).toHaveLength(2);
  });

  it("verifyEmail: the link from the e-mail works once", async () => {
    const email = uniqueEmail("erin");
    const { userId } = await signUp({ name: "Erin", email, password: PASSWORD });
    const token = await tokenFromLatestEmail(email, "verify_email");
    expect(JSON.stringify(await db().select().from(emailTokens))).not.toContain(token);
    expect(await verifyEmail(token)).toEqual({ userId });
    const [user] = await db().select().from(users).where(eq(users.id, userId));
    expect(user!.emailVerified).toBeInstanceOf(Date);
    expect((await failure(verifyEmail(token))).code).toBe("not_found");
    expect((await failure(verifyEmail("made-up-token"))).code).toBe("not_found");
  });

  it("requestPasswordReset for an unknown e-mail sends nothing and does not throw", async () => {
    const email = uniqueEmail("ghost");
    await expect(requestPasswordReset(email)).resolves.toBeUndefined();
    expect(await latestEmailTo(email)).toBeNull();
  });

  it("password reset: the link works once, signs out every session, and swaps the password", async () => {
    const email = uniqueEmail("frank");
    const { userId, session } = await signUp({ name: "Frank", email, password: PASSWORD });
    const other = await signInWithPassword({ email, password: PASSWORD });
    await requestPasswordReset(email.toUpperCase());
    const token = await tokenFromLatestEmail(email, "password_reset");
    // A verification token cannot be used as a reset token.
    const verifyToken = await tokenFromLatestEmail(email, "verify_email");
    expect((await failure(resetPassword(verifyToken, "brand new password"))).code).toBe("not_found");

    const reset = await resetPassword(token, "brand new password");
    expect(reset.userId).toBe(userId);
    expect(await resolveSession(session.sessionToken)).toBeNull();
    expect(await resolveSession(other.session.sessionToken)).toBeNull();
    expect(await sessionsOf(userId)).toEqual([reset.session.sessionToken]);

    expect((await failure(resetPassword(token, "yet another password"))).code).toBe("not_found");
    expect((await signInWithPassword({ email, password: "brand new password" })).userId).toBe(userId);
    expect((await failure(signInWithPassword({ email, password: PASSWORD }))).code).toBe("unauthorized");
  });

  it("changePassword: a wrong current password is validation_failed; the right one keeps only the given session", async () => {
    const email = uniqueEmail("grace");
    const { userId, session } = await signUp({ name: "Grace", email, password: PASSWORD });
    const second = await signInWithPassword({ email, password: PASSWORD });
    const error = await failure(changePassword(userId, "wrong current pw", "a whole new password"));
    expect(error.code).toBe("validation_failed");
    expect(error.extra.errors).toEqual([{ path: "currentPassword", message: expect.any(String) }]);
    expect(await sessionsOf(userId)).toHaveLength(2);
    expect((await failure(signInWithPassword({ email, password: "a whole new password" }))).code).toBe("unauthorized");

    expect(await changePassword(userId, PASSWORD, "a whole new password", session.sessionToken)).toEqual({
      revoked: 1,
    });
    expect(await sessionsOf(userId)).toEqual([session.sessionToken]);
    expect(await resolveSession(second.session.sessionToken)).toBeNull();
    expect((await signInWithPassword({ email, password: "a whole new password" })).userId).toBe(userId);
  });

  it("resolveSession: an expired session is null; a live one slides forward", async () => {
    const { userId } = await signUp({ name: "Heidi", email: uniqueEmail("heidi"), password: PASSWORD });
    const now = Date.now();
    const old = await createSession(userId, new Date(now - 31 * 24 * 3600 * 1000));
    expect(await resolveSession(old.sessionToken)).toBeNull();
    const live = await createSession(userId, new Date(now));
    expect(await resolveSession(live.sessionToken, new Date(now + 31 * 24 * 3600 * 1000))).toBeNull();
    const later = new Date(now + 2 * 24 * 3600 * 1000);
    const resolved = await resolveSession(live.sessionToken, later);
    expect(resolved!.expires.getTime()).toBeGreaterThan(live.expires.getTime());
    expect(await resolveSession(undefined)).toBeNull();
    expect(await resolveSession("x".repeat(201))).toBeNull();
  });

  it("revokeAllSessions keeps the given session and only touches that user", async () => {
    const a = await signUp({ name: "Ivan", email: uniqueEmail("ivan"), password: PASSWORD });
    const b = await signUp({ name: "Judy", email: uniqueEmail("judy"), password: PASSWORD });
    const extra = await createSession(a.userId);
    await createSession(a.userId);
    expect(await revokeAllSessions(a.userId, extra.sessionToken)).toBe(2);
    expect(await sessionsOf(a.userId)).toEqual([extra.sessionToken]);
    expect(await sessionsOf(b.userId)).toEqual([b.session.sessionToken]);
    expect(await revokeAllSessions(a.userId)).toBe(1);
    expect(await sessionsOf(a.userId)).toEqual([]);
  });

  it("never records a plain password anywhere it stores mail", async () => {
    const rows = await db().select().from(emailMessages);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });
});
