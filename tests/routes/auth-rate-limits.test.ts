// Per-IP rate limits on the unauthenticated entry points, exercised through the same form
// functions the server actions call and the real route handlers, on the in-process limiter
// and on the real Redis at REDIS_URL. Each case counts real attempts, then shows the refused
// one changed nothing (no user, no session, no e-mail row).
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import * as stripeWebhook from "@/app/api/webhooks/stripe/route";
import { db } from "@/db/client";
import { emailMessages, sessions, users } from "@/db/schema";
import { signUp, forgotPasswordForm, magicLinkForm, signInForm, signUpForm } from "@/lib/auth";
import { readEnv } from "@/lib/env";
import {
  createRateLimiter,
  MemoryRateLimiter,
  setRateLimiter,
  STRIPE_WEBHOOK_RATE_LIMIT,
  type RateLimiter,
} from "@/lib/ratelimit";
import { describeOnOneDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { fixture, signed, TEST_WEBHOOK_SECRET } from "@/tests/fixtures/stripe/events";

const PASSWORD = "correct horse battery";
const TOO_MANY = /^Too many attempts\. Try again in \d+ seconds?\.$/;

const suffix = () => randomBytes(4).toString("hex");
const uniqueEmail = (label: string) => `${label}-${suffix()}@limits.test`;
// A random private address per caller; the Redis limiter also gets its own key prefix per run,
// so concurrent runs on the shared Redis never share a count.
const freshIp = () => `10.${[...randomBytes(3)].join(".")}`;

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

async function mailCount(address: string, kind: string) {
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(emailMessages)
    .where(and(eq(sql`lower(${emailMessages.toAddress})`, address.toLowerCase()), eq(emailMessages.kind, kind)));
  return row!.n;
}

async function userExists(email: string) {
  return (await db().select({ id: users.id }).from(users).where(eq(users.email, email))).length > 0;
}

async function sessionCount(userId: string) {
  return (await db().select().from(sessions).where(eq(sessions.userId, userId))).length;
}

// The webhook must be configured so that an unsigned request reaches verification (400).
withTestEnv({ STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });

const limiterKinds: { name: string; make: () => RateLimiter }[] = [
  { name: "in-process limiter", make: () => new MemoryRateLimiter() },
  // Like the other Redis suites, this runs only when REDIS_URL is set (CI and the documented test command set it).
  ...(process.env.REDIS_URL
    ? [
        {
          name: "Redis limiter",
          make: () =>
            createRateLimiter(readEnv({ NODE_ENV: "test", REDIS_URL: process.env.REDIS_URL }), {
              prefix: `beacon-test:${Date.now()}:${suffix()}`,
              timeoutMs: 2_000,
            }),
        },
      ]
    : []),
];

describeOnOneDatabase("rate limits on sign-in, sign-up, magic links, password resets and the Stripe webhook", () => {
  for (const kind of limiterKinds) {
    describe(kind.name, () => {
      let limiter: RateLimiter;
      let previous: RateLimiter | undefined;
      beforeAll(() => {
        limiter = kind.make();
        // The route handlers use the process's limiter.
        previous = setRateLimiter(limiter);
      });
      afterAll(async () => {
        setRateLimiter(previous);
        await limiter.close?.();
      });

      it("sign-in: 10 attempts per (IP, e-mail), then the inline error and no session; other IPs and accounts still sign in", async () => {
        const email = uniqueEmail("guessed");
        const other = uniqueEmail("neighbour");
        const { userId } = await signUp({ name: "Gus Guessed", email, password: PASSWORD, organizationName: "" });
        const { userId: otherId } = await signUp({
          name: "Nia Neighbour",
          email: other,
          password: PASSWORD,
          organizationName: "",
        });
        const attacker = freshIp();
        const ctx = { ip: attacker, limiter };
        for (let i = 0; i < 10; i++) {
          const state = await signInForm(form({ email, password: `wrong-${i}` }), ctx);
          expect(state.message).toBe("That e-mail and password do not match an account.");
        }
        const sessionsBefore = await sessionCount(userId);
        const refused = await signInForm(form({ email, password: PASSWORD }), ctx);
        expect(refused.status).toBe("error");
        expect(refused.message).toMatch(TOO_MANY);
        expect(refused.result).toBeUndefined();
        expect(await sessionCount(userId)).toBe(sessionsBefore);

        expect((await signInForm(form({ email, password: PASSWORD }), { ip: freshIp(), limiter })).status).toBe(
          "success",
        );
        expect((await signInForm(form({ email: other, password: PASSWORD }), ctx)).status).toBe("success");
        expect(await sessionCount(otherId)).toBe(2);
      });

      it("sign-in: 50 attempts per IP across accounts (spraying), then even a right password waits", async () => {
        const email = uniqueEmail("sprayed");
        const { userId } = await signUp({ name: "Sal Sprayed", email, password: PASSWORD, organizationName: "" });
        const ctx = { ip: freshIp(), limiter };
        for (let i = 0; i < 50; i++) {
          const state = await signInForm(form({ email: uniqueEmail(`spray${i}`), password: PASSWORD }), ctx);
          expect(state.message).not.toMatch(TOO_MANY);
        }
        const refused = await signInForm(form({ email, password: PASSWORD }), ctx);
        expect(refused.message).toMatch(TOO_MANY);
        expect(await sessionCount(userId)).toBe(1);
      });

      it("sign-up: RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR per IP, then no account is created", async () => {
        const config = readEnv({ NODE_ENV: "test", RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR: "3" });
        const ctx = { ip: freshIp(), limiter, config };
        const signUpAs = (email: string, c = ctx) =>
          signUpForm(form({ name: "Sam Signup", email, password: PASSWORD }), c);
        for (let i = 0; i < 3; i++) {
          const email = uniqueEmail(`signup${i}`);
          expect((await signUpAs(email)).status).toBe("success");
          expect(await userExists(email)).toBe(true);
        }
        const email = uniqueEmail("signup-refused");
        const refused = await signUpAs(email);
        expect(refused.message).toMatch(TOO_MANY);
        expect(await userExists(email)).toBe(false);
        expect(await mailCount(email, "verify_email")).toBe(0);
        expect((await signUpAs(email, { ...ctx, ip: freshIp() })).status).toBe("success");
      });

      it("sign-up: 5 attempts per target address from any IP, so a taken address cannot be mail-bombed", async () => {
        const email = uniqueEmail("taken");
        const attempt = () =>
          signUpForm(form({ name: "Mo Mailbomb", email, password: PASSWORD }), { ip: freshIp(), limiter });
        expect((await attempt()).status).toBe("success");
        for (let i = 0; i < 4; i++) expect((await attempt()).message).toMatch(/could not create an account/);
        expect(await mailCount(email, "signup_existing_account")).toBe(4);
        expect((await attempt()).message).toMatch(TOO_MANY);
        expect(await mailCount(email, "signup_existing_account")).toBe(4);
      });

      it("password reset: 5 requests per target address from any IP, then no further e-mail", async () => {
        const email = uniqueEmail("reset");
        await signUp({ name: "Rae Reset", email, password: PASSWORD, organizationName: "" });
        for (let i = 0; i < 5; i++)
          expect((await forgotPasswordForm(form({ email }), { ip: freshIp(), limiter })).status).toBe("success");
        expect(await mailCount(email, "password_reset")).toBe(5);
        const refused = await forgotPasswordForm(form({ email }), { ip: freshIp(), limiter });
        expect(refused).toMatchObject({ status: "error" });
        expect(refused.message).toMatch(TOO_MANY);
        expect(await mailCount(email, "password_reset")).toBe(5);
      });

      it("password reset: 20 requests per IP, then refused even for a fresh address", async () => {
        const email = uniqueEmail("reset-ip");
        await signUp({ name: "Ike Ip", email, password: PASSWORD, organizationName: "" });
        const ctx = { ip: freshIp(), limiter };
        for (let i = 0; i < 20; i++)
          expect((await forgotPasswordForm(form({ email: uniqueEmail(`nobody${i}`) }), ctx)).status).toBe("success");
        expect((await forgotPasswordForm(form({ email }), ctx)).message).toMatch(TOO_MANY);
        expect(await mailCount(email, "password_reset")).toBe(0);
      });

      it("magic-link form: 5 per target address, 20 per IP", async () => {
        const email = uniqueEmail("magic-form");
        for (let i = 0; i < 5; i++)
          expect((await magicLinkForm(form({ email }), { ip: freshIp(), limiter })).status).toBe("success");
        expect((await magicLinkForm(form({ email }), { ip: freshIp(), limiter })).message).toMatch(TOO_MANY);
        const ctx = { ip: freshIp(), limiter };
        for (let i = 0; i < 20; i++)
          expect((await magicLinkForm(form({ email: uniqueEmail(`mf${i}`) }), ctx)).status).toBe("success");
        expect((await magicLinkForm(form({ email: uniqueEmail("mf-last") }), ctx)).message).toMatch(TOO_MANY);
      });

      it("magic link over HTTP (POST /api/auth/signin/email): 429 Problem+JSON after 5 per address, and no e-mail", async () => {
        const base = "http://localhost:3000/api/auth";
        const email = uniqueEmail("magic-http");
        const request = async (ip: string) => {
          const csrf = await authRoute.GET(new NextRequest(`${base}/csrf`, { headers: { "x-forwarded-for": ip } }));
          const { csrfToken } = (await csrf.json()) as { csrfToken: string };
          const cookie = csrf.headers
            .getSetCookie()
            .map((c) => c.split(";")[0])
            .join("; ");
          return authRoute.POST(
            new NextRequest(`${base}/signin/email`, {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": ip },
              body: new URLSearchParams({ email, csrfToken, callbackUrl: "/dashboard" }),
            }),
          );
        };
        for (let i = 0; i < 5; i++) {
          const sent = await request(freshIp());
          expect(sent.status).toBe(302);
          expect(sent.headers.get("location")).toMatch(/\/(sign-in\/check-email|api\/auth\/verify-request)/);
        }
        expect(await mailCount(email, "magic_link_no_account")).toBe(5);
        const refused = await request(freshIp());
        expect(refused.status).toBe(429);
        expect(refused.headers.get("content-type")).toContain("application/problem+json");
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
        const problem = (await refused.json()) as { code?: string; detail?: string };
        expect(problem.detail).toMatch(TOO_MANY);
        expect(await mailCount(email, "magic_link_no_account")).toBe(5);
      });

      it("Stripe webhook: 300 unsigned deliveries per minute per IP, then 429 Problem+JSON with headers before the body is read", async () => {
        const ip = freshIp();
        const post = (from: string) =>
          new Request("http://localhost/api/webhooks/stripe", {
            method: "POST",
            body: JSON.stringify({ id: "evt_not_signed" }),
            headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=bad", "x-forwarded-for": from },
          });
        for (let i = 0; i < STRIPE_WEBHOOK_RATE_LIMIT.limit; i++)
          expect((await stripeWebhook.POST(post(ip))).status).toBe(400);
        const request = post(ip);
        const refused = await stripeWebhook.POST(request);
        expect(refused.status).toBe(429);
        expect(refused.headers.get("content-type")).toContain("application/problem+json");
        expect(refused.headers.get("ratelimit-limit")).toBe("300");
        expect(refused.headers.get("ratelimit-remaining")).toBe("0");
        expect(Number(refused.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(((await refused.json()) as { code?: string }).code).toBe("rate_limited");
        expect(request.bodyUsed).toBe(false);
        expect((await stripeWebhook.POST(post(freshIp()))).status).toBe(400);
      });

      it("Stripe webhook: a delivery Stripe signed is never counted, so a burst of its retries is never refused", async () => {
        const ip = freshIp();
        // Changed: event id and customer id (stripe-ruby-mock customer.updated: no org to find, acknowledged).
        const event = fixture("stripe-ruby-mock__customer.updated.json");
        Object.assign(event, { id: `evt_signed_${suffix()}` });
        event.data.object.id = `cus_signed_${suffix()}`;
        const { payload, header } = signed(event);
        const post = () =>
          new Request("http://localhost/api/webhooks/stripe", {
            method: "POST",
            body: payload,
            headers: { "content-type": "application/json", "stripe-signature": header, "x-forwarded-for": ip },
          });
        // The first applies it, the rest are re-deliveries: none counts toward the address's limit.
        for (let i = 0; i < 5; i++) expect((await stripeWebhook.POST(post())).status).toBe(200);
        const key = `stripe-webhook:ip:${ip}`;
        expect(await limiter.peek(key, STRIPE_WEBHOOK_RATE_LIMIT)).toMatchObject({ success: true, remaining: 300 });
        // One unsigned delivery from the same address is counted.
        const unsigned = new Request("http://localhost/api/webhooks/stripe", {
          method: "POST",
          body: payload,
          headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=bad", "x-forwarded-for": ip },
        });
        expect((await stripeWebhook.POST(unsigned)).status).toBe(400);
        expect(await limiter.peek(key, STRIPE_WEBHOOK_RATE_LIMIT)).toMatchObject({ remaining: 299 });
      });
    });
  }
});
