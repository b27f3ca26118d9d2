// Redis (the shared rate-limit store) refusing and hanging under the limits that protect a
// secret: password sign-in and operator TOTP codes keep their limits, counted in PostgreSQL
// (lib/ratelimit/outage-policy.ts), while the Stripe webhook's throughput limit fails open.
// When Redis is back, the counts are in Redis again.
import { randomUUID } from "node:crypto";
import { count, like } from "drizzle-orm";
import { generate } from "otplib";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { rateLimitCounters } from "@/db/schema";
import { createOperator, createSession, signInForm } from "@/lib/auth";
import { signUp } from "@/lib/auth/accounts";
import { verifyOperatorMfa } from "@/lib/auth/mfa";
import { RATE_LIMITS } from "@/lib/ratelimit";
import { appErrorOf } from "@/tests/app-error";
import { withTestEnv } from "@/tests/env";
import { TEST_WEBHOOK_SECRET } from "@/tests/fixtures/stripe/events";
import { eventually, pool, survived, tally, withScratchDatabase } from "./harness";
import { withRedisBehindProxy } from "./redis-behind-proxy";
import type { ProxyMode } from "./tcp-proxy";

withScratchDatabase();
withTestEnv({ STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });

const PASSWORD = "correct horse battery staple 42";
const PREFIX = `resilience-redis-security-${Date.now()}`;
const redis = withRedisBehindProxy(PREFIX);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const countedInDatabase = async () =>
  (
    await db()
      .select({ n: count() })
      .from(rateLimitCounters)
      .where(like(rateLimitCounters.key, `${PREFIX}:%`))
  )[0]!.n;

/** Wrong passwords from one IP until refused; answers how many were let through. */
async function passwordGuesses(email: string, ip: string, tries: number) {
  let allowed = 0;
  for (let i = 0; i < tries; i++) {
    const state = await signInForm(form({ email, password: `guess-${i}` }), { ip });
    if (!/Too many attempts/.test(state.message ?? "")) allowed++;
  }
  return allowed;
}

/** Wrong TOTP codes until refused; answers how many were checked, and whether the right code then got in. */
async function codeGuesses(tries: number) {
  const op = await createOperator({
    email: `ops-${randomUUID().slice(0, 8)}@beacon.test`,
    password: PASSWORD,
    role: "ops_support",
  });
  const { sessionToken } = await createSession(op.userId);
  let checked = 0;
  for (let i = 0; i < tries; i++) {
    const error = await appErrorOf(verifyOperatorMfa(sessionToken, op.userId, String(100000 + i)));
    if (error.code === "validation_failed") checked++;
  }
  const right = await verifyOperatorMfa(sessionToken, op.userId, await generate({ secret: op.totpSecret })).then(
    () => "accepted",
    (error: { code?: string }) => error.code ?? "error",
  );
  return { checked, right };
}

async function webhookFlood(ip: string, calls: number) {
  const post = () =>
    fetch(`${redis.app.url}/api/webhooks/stripe`, {
      method: "POST",
      headers: { "x-forwarded-for": ip, "stripe-signature": "t=1,v1=bad" },
      body: "{}",
    });
  return tally((await pool(calls, 16, post)).map((response) => response.status));
}

it("Redis refusing, then hanging: sign-in and TOTP guesses stay limited (counted in PostgreSQL), the webhook's throughput limit fails open; Redis back: counted in Redis again", async (context) => {
  const signInLimit = RATE_LIMITS.signInPerIpAndEmail.limit;
  const codeLimit = RATE_LIMITS.mfaWrongCodesPerOperator.limit;
  const lines: string[] = [];
  let n = 0;
  for (const mode of ["up", "refusing", "hanging", "up"] as ProxyMode[]) {
    await redis.proxy.set(mode);
    if (mode === "up") {
      await eventually(
        "the limiter counts in Redis",
        async () => !(await redis.limiter.peek("probe", RATE_LIMITS.signInPerIp)).degraded,
      );
    }
    const email = `victim-${randomUUID().slice(0, 8)}@example.com`;
    await signUp({ name: "Vic Tim", email, password: PASSWORD, organizationName: "" });
    const dbRowsBefore = await countedInDatabase();

    const passwords = await passwordGuesses(email, `203.0.113.${++n}`, signInLimit + 5);
    expect(passwords).toBe(signInLimit);
    const codes = await codeGuesses(codeLimit + 3);
    expect(codes).toEqual({ checked: codeLimit, right: "rate_limited" });

    const countedInPostgres = (await countedInDatabase()) > dbRowsBefore;
    expect(countedInPostgres).toBe(mode !== "up");
    let webhook = "";
    if (mode === "refusing") {
      // Over the webhook's per-IP limit: every request is read (and refused for its signature), none is limited.
      const statuses = await webhookFlood("198.51.100.99", RATE_LIMITS.stripeWebhookPerIp.limit + 20);
      expect(statuses).toEqual({ 400: RATE_LIMITS.stripeWebhookPerIp.limit + 20 });
      webhook = `, webhook ${JSON.stringify(statuses)}`;
    }
    lines.push(
      `${mode}: ${passwords}/${signInLimit + 5} password guesses checked, ${codes.checked}/${codeLimit + 3} TOTP codes checked, right code ${codes.right}, counted in ${countedInPostgres ? "PostgreSQL" : "Redis"}${webhook}`,
    );
  }
  survived(context, `Redis cut under the security limits — ${lines.join("; ")}`);
}, 300_000);
