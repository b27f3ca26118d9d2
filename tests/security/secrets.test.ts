// Secrets never leave the process: not in logs, not in Problem+JSON bodies, not in the config
// viewer, not in what failures store in the database. Each secret below is distinctive, so a
// plain substring search finds it wherever it might have been copied.
import net from "node:net";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import * as configRoute from "@/app/api/admin/config/route";
import * as reprocessRoute from "@/app/api/admin/stripe-events/[id]/reprocess/route";
import * as inngestRoute from "@/app/api/inngest/route";
import * as webhookRoute from "@/app/api/webhooks/stripe/route";
import { db } from "@/db/client";
import { outboxEvents, stripeEvents } from "@/db/schema";
import { logger } from "@/lib/observability";
import { sendEmailNow } from "@/lib/outbox";
import { describeOnOneDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { startFakeStripe, type FakeStripe } from "@/tests/fakes/stripe-api";
import { fixture, signed } from "@/tests/fixtures/stripe/events";
import { captureLogs } from "@/tests/log-capture";
import { callRoute, operatorCookies } from "@/tests/route-helpers";

const SECRETS = {
  AUTH_SECRET: "authsecret-S3CR3T-a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
  STRIPE_SECRET_KEY: "sk_test_S3CR3Tstripe51c7e2d9aa04",
  STRIPE_WEBHOOK_SECRET: "whsec_S3CR3Twebhook7f3e91b2c4d6",
  METRICS_TOKEN: "metrics-S3CR3T-0d9c8b7a6f5e",
  SMTP_PASSWORD: "smtp-S3CR3T-pass-4e5f6a7b",
  DATABASE_PASSWORD: "db-S3CR3T-pass-8c9d0e1f",
  SAM_API_KEY: "sam-S3CR3T-key-2a3b4c5d6e7f",
  INNGEST_SIGNING_KEY: `signkey-test-${"5ec7e7".repeat(10)}`,
};

let smtp: SMTPServer;
let smtpPort = 0;
let stripe: FakeStripe;
// Only the PostgreSQL URL can carry a password; the server trusts local connections, so a
// password in it is accepted and ignored.
const databaseUrl = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : null;
if (databaseUrl) databaseUrl.password = SECRETS.DATABASE_PASSWORD;

beforeAll(async () => {
  // An SMTP server that refuses every login: the mail transport fails with the password in hand.
  smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (_auth, _session, callback) => callback(new Error("Invalid username or password")),
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as net.AddressInfo).port;
  stripe = await startFakeStripe();
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await stripe.close();
});

withTestEnv(() => ({
  AUTH_SECRET: SECRETS.AUTH_SECRET,
  STRIPE_SECRET_KEY: SECRETS.STRIPE_SECRET_KEY,
  STRIPE_WEBHOOK_SECRET: SECRETS.STRIPE_WEBHOOK_SECRET,
  STRIPE_API_BASE_URL: stripe.url,
  METRICS_TOKEN: SECRETS.METRICS_TOKEN,
  SMTP_URL: `smtp://beacon:${SECRETS.SMTP_PASSWORD}@127.0.0.1:${smtpPort}`,
  SAM_API_KEY: SECRETS.SAM_API_KEY,
  INNGEST_SIGNING_KEY: SECRETS.INNGEST_SIGNING_KEY,
  INNGEST_DEV: "0",
  ...(databaseUrl ? { DATABASE_URL: databaseUrl.toString() } : {}),
}));

/** Every secret value (and, for URL-embedded ones, its percent-encoded form) found in `text`. */
function leakedSecrets(text: string) {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value) || text.includes(encodeURIComponent(value)))
    .map(([name]) => name);
}

describeOnOneDatabase("secrets stay secret", () => {
  it("failing paths log and answer without any secret; the config viewer redacts every one", async () => {
    const ops = await operatorCookies();
    const logs = captureLogs();
    const bodies: string[] = [];
    try {
      // Stripe webhook signed with the wrong secret, and with none.
      const event = fixture("stripe-ruby-mock__customer.updated.json");
      const forged = signed(event, "whsec_someone_else");
      for (const signature of [forged.header, undefined]) {
        const response = await webhookRoute.POST(
          new Request("http://localhost:3000/api/webhooks/stripe", {
            method: "POST",
            body: forged.payload,
            headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
          }),
        );
        expect(response.status).toBe(400);
        bodies.push(await response.text());
      }

      // Stripe API failing (outage) while an operator reprocesses a stored event.
      await db()
        .insert(stripeEvents)
        .values({ id: "evt_secret_test_1", type: "customer.updated", created: new Date(), status: "failed" })
        .onConflictDoNothing();
      stripe.failNext(10);
      const reprocess = await callRoute(reprocessRoute.POST, {
        path: "/api/admin/stripe-events/evt_secret_test_1/reprocess",
        method: "POST",
        cookie: ops.ops_admin,
        id: "evt_secret_test_1",
      });
      expect(reprocess.status).toBeGreaterThanOrEqual(500);
      bodies.push(await reprocess.text());

      // SMTP refusing the login.
      const queued = await sendEmailNow({
        dedupeKey: `secret-test-${Date.now()}-${Math.random()}`,
        email: { kind: "test", to: "someone@secrets.test", subject: "Hello", text: "Hi" },
      });
      const [mail] = await db()
        .select({ lastError: outboxEvents.lastError })
        .from(outboxEvents)
        .where(eq(outboxEvents.id, queued.id));
      expect(mail?.lastError ?? "").toMatch(/\S/);

      // Auth.js refusing a sign-in without a CSRF token; Inngest refusing an unsigned call.
      const signIn = await authRoute.POST(
        new NextRequest("http://localhost:3000/api/auth/signin/email", {
          method: "POST",
          body: new URLSearchParams({ email: "x@secrets.test" }),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      );
      bodies.push(await signIn.text());
      const inngest = await inngestRoute.POST(
        new NextRequest("http://localhost:3000/api/inngest?fnId=x&stepId=step", {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json" },
        }),
        undefined as never,
      );
      expect(inngest.status).toBe(401);
      bodies.push(await inngest.text());

      // The config viewer.
      const config = await callRoute(configRoute.GET, { path: "/api/admin/config", cookie: ops.ops_admin });
      expect(config.status).toBe(200);
      const shown = (await config.json()) as { config: Record<string, unknown> };
      for (const name of [
        "AUTH_SECRET",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "METRICS_TOKEN",
        "SMTP_URL",
        "SAM_API_KEY",
        "INNGEST_SIGNING_KEY",
      ])
        expect(shown.config[name], name).toBe("<redacted>");
      bodies.push(JSON.stringify(shown));

      // A careless log call with secret-bearing fields is redacted at the source.
      logger.error(
        {
          password: SECRETS.SMTP_PASSWORD,
          token: SECRETS.METRICS_TOKEN,
          headers: { authorization: `Bearer ${SECRETS.STRIPE_SECRET_KEY}`, cookie: SECRETS.AUTH_SECRET },
        },
        "careless",
      );
    } finally {
      logs.restore();
    }

    // The failures really were logged (so the search below is not of an empty capture).
    expect(logs.text()).toContain("careless");
    expect(logs.text()).toContain("unhandled error in route");
    expect(logs.lines.length).toBeGreaterThan(3);
    expect({ logs: leakedSecrets(logs.text()), bodies: leakedSecrets(bodies.join("\n")) }).toEqual({
      logs: [],
      bodies: [],
    });

    // Nor was anything a failure stored (last errors, audit entries, outbox payloads) a secret.
    const tables = await db().execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const dump: string[] = [];
    for (const { table_name: name } of tables.rows) {
      const rows = await db().execute<{ t: string }>(sql`select t::text as t from ${sql.identifier(name)} t`);
      dump.push(...rows.rows.map((r) => r.t));
    }
    expect(leakedSecrets(dump.join("\n"))).toEqual([]);
  }, 90_000);
});
