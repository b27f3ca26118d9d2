// Links that sign someone in (magic links, e-mail verification, password reset, invitations)
// reach their recipient and nobody else: no table holds them readable, no operator role can read
// them through any admin route, whatever the outbox state (delivered, waiting, dead).
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { expect, it } from "vitest";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { db } from "@/db/client";
import { emailMessages, outboxEvents } from "@/db/schema";
import { requestPasswordReset, signUp } from "@/lib/auth";
import { makeOrg, contextOf, operatorContextOf } from "@/tests/support/factories";
import { deliverOutboxNow, enqueueOutbox, HIDDEN_LINK, replayOutbox } from "@/lib/outbox";
import { closedPort } from "@/tests/support/servers";
import { inviteMember } from "@/lib/orgs";
import { describeOnOneDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { paramNames, routeFiles, urlPathFor } from "@/tests/hostile/route-catalogue";
import { callRoute, operatorCookies, type RouteHandler } from "@/tests/route-helpers";
import { smtpMailboxForTests } from "@/tests/support/mailbox";

const ROOT = path.resolve(import.meta.dirname, "../..");
const mailbox = smtpMailboxForTests();
const setEnv = perTestEnv();

/** The credential part of each link: what would let its holder in. */
function credentialsIn(text: string): string[] {
  const found = [...text.matchAll(/[?&]token=([A-Za-z0-9_%-]{16,})|\/invitations\/([A-Za-z0-9_-]{16,})/g)].map((m) =>
    decodeURIComponent(m[1] ?? m[2]!),
  );
  expect(found.length, `a credential in:\n${text}`).toBeGreaterThan(0);
  return found;
}

async function requestMagicLink(email: string) {
  const base = "http://localhost:3000/api/auth";
  const csrf = await authRoute.GET(new NextRequest(`${base}/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const sent = await authRoute.POST(
    new NextRequest(`${base}/signin/email`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ email, csrfToken, callbackUrl: "/dashboard" }),
    }),
  );
  expect(sent.status).toBe(302);
}

/** Every row of the tables that hold messages, as text. */
async function messageTablesDump() {
  const rows = await db().execute<{ t: string }>(
    sql`select t::text as t from outbox_events t union all select m::text from email_messages m`,
  );
  return rows.rows.map((r) => r.t).join("\n");
}

/** Every GET under /api/admin, for each operator role, with the customer's org, outbox ids and address as parameters. */
async function sweepAdminReads(input: { orgId: string; outboxIds: string[]; email: string }) {
  const cookies = await operatorCookies();
  const bodies: string[] = [];
  const files = routeFiles(ROOT).filter((f) => f.startsWith("app/api/admin/"));
  for (const file of files) {
    const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    if (typeof mod.GET !== "function") continue;
    const ids = paramNames(file).includes("id") ? [input.orgId, ...input.outboxIds] : [""];
    for (const id of ids) {
      for (const query of [
        "",
        `?q=${encodeURIComponent(input.email)}`,
        "?status=delivered",
        "?status=dead",
        `?to=${encodeURIComponent(input.email)}`,
      ]) {
        for (const role of ["ops_admin", "ops_support", "ops_viewer"] as const) {
          const response = await callRoute(mod.GET as RouteHandler, {
            path: `${urlPathFor(file, { id })}${query}`,
            cookie: cookies[role],
            params: { id },
          });
          bodies.push(`${role} GET ${file}${query}: ${response.status} ${await response.text()}`);
        }
      }
    }
  }
  return bodies;
}

describeOnOneDatabase("sign-in links reach only their recipient", () => {
  it("no table and no operator route holds a usable verification, reset, magic or invitation link", async () => {
    const email = `links-${Date.now()}@security.test`;
    const { userId, orgId } = await signUp({
      name: "Link Holder",
      email,
      password: "correct horse battery 99",
      organizationName: "Link Co",
    });
    await requestPasswordReset(email);
    await requestMagicLink(email);
    const team = await makeOrg("pro", "Inviting Co");
    const invitee = `invitee-${Date.now()}@security.test`;
    const { token: invitationToken } = await inviteMember(contextOf(team.orgId, team.owner), {
      email: invitee,
      role: "member",
    });

    const tokens = [
      ...credentialsIn(mailbox.latest(email, "verify_email").text),
      ...credentialsIn(mailbox.latest(email, "password_reset").text),
      ...credentialsIn(mailbox.latest(email, "magic_link").text),
      ...credentialsIn(mailbox.latest(invitee, "invitation").text),
    ];
    expect(tokens).toContain(invitationToken);

    // Delivered rows keep neither the link nor its seal; their records say the link was hidden.
    const dump = await messageTablesDump();
    for (const token of tokens) expect(dump).not.toContain(token);
    const outbox = await db().select().from(outboxEvents).where(eq(outboxEvents.kind, "email"));
    for (const row of outbox) expect(row.payload).not.toHaveProperty("sealed");
    const records = await db().select().from(emailMessages).where(eq(emailMessages.toAddress, email));
    expect(
      records
        .filter((r) => r.sensitive)
        .map((r) => r.kind)
        .sort(),
    ).toEqual(["magic_link", "password_reset", "verify_email"]);
    for (const record of records.filter((r) => r.sensitive)) expect(record.textBody).toContain(HIDDEN_LINK);

    const outboxIds = outbox.filter((row) => row.orgId === orgId || row.orgId === null).map((row) => row.id);
    const bodies = (await sweepAdminReads({ orgId, outboxIds, email })).join("\n");
    expect(bodies).toContain(email.split("@")[1]!); // the sweep did read this customer's data
    for (const token of tokens) expect(bodies).not.toContain(token);
    expect(userId).toBeTruthy();
  });

  it("a sign-in e-mail that could not be sent yet holds its link sealed; operators see it hidden and a replay sends the real link", async () => {
    const email = `waiting-${Date.now()}@security.test`;
    const { orgId } = await signUp({
      name: "Waiting Holder",
      email,
      password: "correct horse battery 98",
      organizationName: "Waiting Co",
    });
    setEnv({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`, OUTBOX_MAX_ATTEMPTS: "1" });
    await requestPasswordReset(email);
    const [dead] = await db()
      .select()
      .from(outboxEvents)
      .where(sql`${outboxEvents.payload}->>'kind' = 'password_reset' and ${outboxEvents.payload}->>'to' = ${email}`);
    expect(dead!.status).toBe("dead");
    expect(dead!.payload).toHaveProperty("sealed");
    const dumpWhileDead = await messageTablesDump();
    const bodiesWhileDead = (await sweepAdminReads({ orgId, outboxIds: [dead!.id], email })).join("\n");
    expect(bodiesWhileDead).toContain(dead!.id);
    expect(bodiesWhileDead).toContain('"sensitive":true');

    setEnv({ SMTP_URL: mailbox.url(), OUTBOX_MAX_ATTEMPTS: undefined });
    expect(await replayOutbox(operatorContextOf(), { ids: [dead!.id] })).toBe(1);
    await deliverOutboxNow([dead!.id]);
    const [token] = credentialsIn(mailbox.latest(email, "password_reset").text);
    expect(dumpWhileDead).not.toContain(token);
    expect(bodiesWhileDead).not.toContain(token);
    const [sent] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, dead!.id));
    expect(sent!.status).toBe("delivered");
    expect(sent!.payload).not.toHaveProperty("sealed");
  });

  it("refuses a sign-in e-mail without a sealed link, and hides a credential link left in the clear", async () => {
    const { orgId } = await makeOrg("free", "Careless Co");
    await expect(
      db().transaction((tx) =>
        enqueueOutbox(tx, {
          kind: "email",
          orgId,
          dedupeKey: "careless-magic",
          payload: {
            kind: "magic_link",
            to: "a@security.test",
            subject: "Sign in",
            text: "Sign in: http://localhost:3000/x",
          },
        }),
      ),
    ).rejects.toThrow(/signs someone in/);
    const queued = await db().transaction((tx) =>
      enqueueOutbox(tx, {
        kind: "email",
        orgId,
        dedupeKey: "careless-notice",
        payload: {
          kind: "notice",
          to: "a@security.test",
          subject: "Hello",
          text: "Go: http://localhost:3000/reset-password?token=abcdefghijklmnopqrstuvwxyz0123",
        },
      }),
    );
    const [row] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, queued.id));
    expect(JSON.stringify(row!.payload)).not.toContain("abcdefghijklmnopqrstuvwxyz0123");
    expect((row!.payload as { text: string }).text).toBe(`Go: ${HIDDEN_LINK}`);
  });
});
