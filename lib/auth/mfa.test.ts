import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { db } from "@/db/client";
import { auditLog, sessions, users } from "@/db/schema";
import { withSystem } from "@/db/tenant";
import { readEnv } from "@/lib/env";
import { createRateLimiter, setRateLimiter, type RateLimiter } from "@/lib/ratelimit";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase, describeEachDatabaseAsApp } from "@/tests/db";
import { startTcpProxy } from "@/tests/resilience/tcp-proxy";
import { mfaEnrolment, MFA_ATTEMPTS, resetOperatorTotp, verifyOperatorMfa } from "./mfa";
import { createOperator } from "./operators";
import { createSession } from "./sessions";

async function operator(role: "ops_admin" | "ops_support" = "ops_support") {
  const op = await createOperator({
    email: `mfa-${randomUUID().slice(0, 8)}@beacon.test`,
    password: "correct horse battery staple 42",
    role,
  });
  const { sessionToken } = await createSession(op.userId);
  return { ...op, sessionToken };
}

async function sessionVerified(token: string) {
  const [row] = await db()
    .select({ at: sessions.mfaVerifiedAt })
    .from(sessions)
    .where(eq(sessions.sessionToken, token));
  return row?.at ?? null;
}

describeEachDatabase("operator two-factor (TOTP)", () => {
  it("enrols with a QR code, then verifies the session with the current code; a wrong code changes nothing", async () => {
    // The clock stands still one second into a 30-s step: "the code just used" and "the next
    // step's code" must not depend on when a step boundary happens to pass during the test.
    vi.useFakeTimers({ now: Math.floor(Date.now() / 30_000) * 30_000 + 1_000, toFake: ["Date"] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const op = await operator();
    const enrolment = await mfaEnrolment(op.userId);
    expect(enrolment).toMatchObject({ enrolled: false, secret: op.totpSecret });
    expect(enrolment.qrSvg).toContain("<svg");
    expect(enrolment.otpauthUrl).toContain("otpauth://totp/");

    expect((await appErrorOf(verifyOperatorMfa(op.sessionToken, op.userId, "000000"))).code).toBe("validation_failed");
    expect(await sessionVerified(op.sessionToken)).toBeNull();

    await verifyOperatorMfa(op.sessionToken, op.userId, await generate({ secret: op.totpSecret }));
    expect(await sessionVerified(op.sessionToken)).toBeInstanceOf(Date);
    expect(await mfaEnrolment(op.userId)).toEqual({ enrolled: true, otpauthUrl: null, qrSvg: null, secret: null });
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "ops.mfa.enrolled"))).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorId: op.userId })]),
    );

    // Another session of the same operator is not verified by this one.
    const other = await createSession(op.userId);
    expect(await sessionVerified(other.sessionToken)).toBeNull();

    // RFC 6238 §5.2: the code just used is refused on the other session (replay); the next step's code is accepted.
    const used = await generate({ secret: op.totpSecret });
    const replay = await appErrorOf(verifyOperatorMfa(other.sessionToken, op.userId, used));
    expect(replay.code).toBe("validation_failed");
    expect(replay.message).toMatch(/already used/);
    expect(await sessionVerified(other.sessionToken)).toBeNull();
    await verifyOperatorMfa(
      other.sessionToken,
      op.userId,
      await generate({ secret: op.totpSecret, epoch: Math.floor(Date.now() / 1000) + 30 }),
    );
    expect(await sessionVerified(other.sessionToken)).toBeInstanceOf(Date);
  });

  it(`stops guessing after ${MFA_ATTEMPTS.limit} attempts with 429`, async () => {
    const op = await operator();
    for (let i = 0; i < MFA_ATTEMPTS.limit; i++)
      await verifyOperatorMfa(op.sessionToken, op.userId, "123456").catch(() => undefined);
    const right = await generate({ secret: op.totpSecret });
    expect((await appErrorOf(verifyOperatorMfa(op.sessionToken, op.userId, right))).code).toBe("rate_limited");
    expect(await sessionVerified(op.sessionToken)).toBeNull();
  });

  it("only wrong codes count towards the limit: right ones never lock an operator out, and once wrong ones are used up even a right one waits", async () => {
    const op = await operator();
    const wrong = () => verifyOperatorMfa(op.sessionToken, op.userId, "000001").catch(() => undefined);
    const code = (steps: number) =>
      generate({ secret: op.totpSecret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
    for (let i = 0; i < MFA_ATTEMPTS.limit - 1; i++) await wrong();
    await verifyOperatorMfa(op.sessionToken, op.userId, await code(0));
    expect(await sessionVerified(op.sessionToken)).toBeInstanceOf(Date);
    await wrong();
    const other = await createSession(op.userId);
    expect((await appErrorOf(verifyOperatorMfa(other.sessionToken, op.userId, await code(1)))).code).toBe(
      "rate_limited",
    );
    expect(await sessionVerified(other.sessionToken)).toBeNull();
  });

  it("customers have no second factor here; recovery by another ops_admin replaces the secret and signs the operator out (audited)", async () => {
    const [customer] = await db()
      .insert(users)
      .values({ email: `cust-${randomUUID().slice(0, 8)}@example.com`, name: "C" })
      .returning({ id: users.id });
    expect((await appErrorOf(mfaEnrolment(customer!.id))).code).toBe("forbidden");

    const admin = await operator("ops_admin");
    const target = await operator();
    await verifyOperatorMfa(target.sessionToken, target.userId, await generate({ secret: target.totpSecret }));
    expect(
      (
        await appErrorOf(
          resetOperatorTotp(admin.userId, { type: "operator", id: admin.userId, email: "a@beacon.test" }),
        )
      ).code,
    ).toBe("forbidden");

    const result = await resetOperatorTotp(
      target.userId,
      { type: "operator", id: admin.userId, email: "a@beacon.test" },
      "req_reset",
    );
    expect(result.revokedSessions).toBe(1);
    const after = await mfaEnrolment(target.userId);
    expect(after.enrolled).toBe(false);
    expect(after.secret).not.toBe(target.totpSecret);
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, "ops.mfa.reset"));
    expect(audit).toMatchObject({ actorId: admin.userId, targetId: target.userId, requestId: "req_reset" });
  });
  for (const cut of ["refusing", "hanging"] as const) {
    describe(`with the Redis store ${cut}`, () => {
      let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
      let limiter: RateLimiter;
      let previous: RateLimiter | undefined;
      beforeAll(async () => {
        proxy = await startTcpProxy("redis://127.0.0.1:1");
        await proxy.set(cut);
        limiter = createRateLimiter(readEnv({ NODE_ENV: "test", REDIS_URL: proxy.url }), {
          prefix: `mfa-${cut}-${randomUUID()}`,
          timeoutMs: 150,
        });
        previous = setRateLimiter(limiter);
      });
      afterAll(async () => {
        setRateLimiter(previous);
        await limiter?.close?.();
        await proxy?.close();
      });

      it(`still stops guessing after ${MFA_ATTEMPTS.limit} wrong codes: the count moves to PostgreSQL`, async () => {
        const op = await operator();
        for (let i = 0; i < MFA_ATTEMPTS.limit; i++)
          expect((await appErrorOf(verifyOperatorMfa(op.sessionToken, op.userId, "000000"))).code).toBe(
            "validation_failed",
          );
        const refused = await appErrorOf(
          verifyOperatorMfa(op.sessionToken, op.userId, await generate({ secret: op.totpSecret })),
        );
        expect(refused.code).toBe("rate_limited");
        expect(Number(refused.extra.headers?.["retry-after"])).toBeGreaterThan(0);
        expect(await sessionVerified(op.sessionToken)).toBeNull();
      });
    });
  }
});

/** The audit entries of enrolment and recovery are written as the system role when the app acts as itself. */
describeEachDatabaseAsApp("operator two-factor under row-level security", () => {
  it("enrols and verifies a session, and another ops_admin's recovery signs the operator out, both audited", async () => {
    const admin = await operator("ops_admin");
    const op = await operator();
    await verifyOperatorMfa(op.sessionToken, op.userId, await generate({ secret: op.totpSecret }));
    expect(await sessionVerified(op.sessionToken)).toBeInstanceOf(Date);
    const result = await resetOperatorTotp(op.userId, { type: "operator", id: admin.userId, email: "a@beacon.test" });
    expect(result.revokedSessions).toBe(1);
    const trail = await withSystem("ops-cockpit", (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, op.userId)),
    );
    expect(trail.map((a) => a.action).sort()).toEqual(["ops.mfa.enrolled", "ops.mfa.reset"]);
  });
});
