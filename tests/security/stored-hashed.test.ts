// Credentials are stored only as hashes: a database dump must not hand anyone a working API key,
// password, invitation link or e-mail token.
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import * as apiKeysRoute from "@/app/api/app/api-keys/route";
import { db } from "@/db/client";
import { apiKeys, emailTokens, invitations, users } from "@/db/schema";
import { requestPasswordReset, signUp } from "@/lib/auth";
import { inviteMember, sha256 } from "@/lib/orgs";
import { insertOpportunity, makeOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { createAlert, runAlertDigest, unsubscribeUrl } from "@/lib/alerts";
import { createCalendarFeed } from "@/lib/pipeline";
import { describeOnOneDatabase } from "@/tests/db";
import { callRoute, sessionCookieFor } from "@/tests/route-helpers";

/** Every row of every table as text. */
async function databaseDump() {
  const tables = await db().execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const out: string[] = [];
  for (const { table_name: name } of tables.rows) {
    const rows = await db().execute<{ t: string }>(sql`select t::text as t from ${sql.identifier(name)} t`);
    out.push(...rows.rows.map((r) => `${name}: ${r.t}`));
  }
  return out;
}

describeOnOneDatabase("credentials are stored hashed", () => {
  it("API keys: only the prefix and a SHA-256 of the key are stored; the key is nowhere in the database", async () => {
    const password = `Pw-${Date.now()}-correct horse battery`;
    const email = `hashes-${Date.now()}@security.test`;
    const { userId } = await signUp({ name: "Hash Tester", email, password, organizationName: "Hash Co" });
    const created = await callRoute(apiKeysRoute.POST, {
      path: "/api/app/api-keys",
      method: "POST",
      cookie: await sessionCookieFor(userId),
      headers: { origin: "http://localhost:3000" },
      body: { name: "CI" },
    });
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect(key).toMatch(/^bk_/);

    const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row!.keyHash).toBe(sha256(key));
    expect(key.startsWith(row!.prefix)).toBe(true);
    expect(row!.prefix.length).toBeLessThan(key.length / 2);
    const secretPart = key.slice(row!.prefix.length);

    const [user] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);

    const dump = (await databaseDump()).join("\n");
    expect(dump).toContain(row!.keyHash);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(secretPart);
    expect(dump).not.toContain(password);
  });

  it("calendar feed tokens: only their SHA-256 is stored; the feed URL's secret is nowhere in the database", async () => {
    const org = await makeOrg("starter", "Calendar Co");
    const { token, url } = await createCalendarFeed(contextOf(org.orgId, org.owner));
    expect(url.endsWith(`/api/calendar/${token}.ics`)).toBe(true);
    const dump = (await databaseDump()).join("\n");
    expect(dump).toContain(sha256(token));
    expect(dump).not.toContain(token.slice("bcal_".length));
  });

  it("invitation and password-reset tokens: only their SHA-256 is in the token tables", async () => {
    const email = `tokens-${Date.now()}@security.test`;
    const { userId } = await signUp({
      name: "Token Tester",
      email,
      password: "another correct horse 77",
      organizationName: "Token Co",
    });
    const team = await makeOrg("pro", "Team Co");
    const { url, token, invitation } = await inviteMember(contextOf(team.orgId, team.owner), {
      email: `invitee-${Date.now()}@security.test`,
      role: "member",
    });
    expect(url).toContain(token);
    expect(token.length).toBeGreaterThan(20);
    const [stored] = await db().select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(stored!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    await requestPasswordReset(email);
    const resets = await db().select().from(emailTokens).where(eq(emailTokens.userId, userId));
    expect(resets.length).toBeGreaterThan(0);
    for (const r of resets) expect(r.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("alert unsubscribe links: the MAC in the link is nowhere in the database (the record hides the link)", async () => {
    const org = await makeOrg("pro", "Unsubscribe Co");
    const createdAt = new Date("2034-03-01T00:00:00Z");
    const alert = await createAlert(contextOf(org.orgId, org.owner, createdAt), {
      name: "Piers",
      frequency: "daily",
      q: "pier",
    });
    await insertOpportunity({ createdAt: new Date(createdAt.getTime() + 60_000), title: "Pier repair" });
    const digest = await runAlertDigest(
      systemContextOf("digest-fanout"),
      alert.id,
      new Date(createdAt.getTime() + 24 * 3_600_000),
    );
    expect(digest.emailMessageId).not.toBeNull();
    const mac = unsubscribeUrl(org.orgId, alert.id).split(".").at(-1)!;
    expect((await databaseDump()).join("\n")).not.toContain(mac);
  });
});
