// One-click unsubscribe: the digest as the SMTP server receives it carries RFC 8058 headers and
// a visible link; the link's route pauses exactly that alert on POST, never on GET, and refuses
// forged tokens without changing anything.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import * as unsubscribeRoute from "@/app/api/unsubscribe/[token]/route";
import { db } from "@/db/client";
import { alerts, auditLog, emailMessages, outboxEvents } from "@/db/schema";
import { createAlert, runDueDigests, toApiAlert, unsubscribeUrl, updateAlert } from "@/lib/alerts";
import { insertOpportunity, makeOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { HIDDEN_LINK } from "@/lib/outbox";
import { startSmtpSink } from "@/tests/support/servers";
import { describeOnOneDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { callRoute } from "@/tests/route-helpers";

const DAY = 24 * 60 * 60_000;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(() => smtp.close());
withTestEnv(() => ({ SMTP_URL: smtp.url, APP_URL: "https://beacon.example" }));

/** The message's headers, folded lines joined. */
function headersOf(raw: string) {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
  return new Map(
    head.split(/\r?\n/).map((line) => {
      const at = line.indexOf(":");
      return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()] as const;
    }),
  );
}

const call = (token: string, method: "GET" | "POST", headers: Record<string, string> = {}) =>
  callRoute(unsubscribeRoute[method], {
    path: `/api/unsubscribe/${encodeURIComponent(token)}`,
    method,
    params: { token },
    ...(method === "POST"
      ? {
          raw: "List-Unsubscribe=One-Click",
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        }
      : { headers }),
  });

describeOnOneDatabase("one-click unsubscribe from an alert", () => {
  let epoch = Date.parse("2033-01-01T00:00:00Z");
  beforeEach(async () => {
    epoch += 30 * DAY;
    smtp.received.length = 0;
    await db().update(alerts).set({ active: false });
  });

  /** An org with two daily alerts that each matched one notice, their digests delivered to the sink. */
  async function mailedDigests() {
    const T0 = new Date(epoch);
    const { orgId, owner } = await makeOrg("enterprise");
    const make = (name: string) =>
      createAlert(contextOf(orgId, owner, T0), {
        name,
        frequency: "daily",
        q: "dredging",
        delivery_email: `${crypto.randomUUID()}@unsub.test`,
      });
    const first = await make("Harbour dredging");
    const second = await make("Other dredging");
    await insertOpportunity({ createdAt: new Date(T0.getTime() + 60_000), title: "Harbour dredging services" });
    const run = await runDueDigests(systemContextOf("digest-fanout", new Date(T0.getTime() + DAY + 2 * 60_000)));
    expect(run.emails).toBe(2);
    const message = smtp.received.find((m) => m.to.includes(first.deliveryEmail))!;
    const headers = headersOf(message.raw);
    const url = /^<(https:\/\/beacon\.example\/api\/unsubscribe\/[^>]+)>$/.exec(
      headers.get("list-unsubscribe") ?? "",
    )?.[1];
    return {
      orgId,
      owner,
      first,
      second,
      message,
      headers,
      url: url!,
      token: decodeURIComponent(url!.split("/").at(-1)!),
    };
  }

  it("the delivered digest carries List-Unsubscribe (one-click) and a visible link; neither record nor outbox row holds it", async () => {
    const { headers, message, url, first } = await mailedDigests();
    expect(url).toBeDefined();
    expect(headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const body = message.raw.replace(/=\r?\n/g, "");
    expect(body).toContain("Unsubscribe from this alert");
    expect(body).toContain(url.split("/").at(-1)!.slice(-20));

    const [record] = await db()
      .select()
      .from(emailMessages)
      .where(and(eq(emailMessages.toAddress, first.deliveryEmail), eq(emailMessages.kind, "alert_digest")));
    expect(record!.textBody).toContain(`Unsubscribe from this alert: ${HIDDEN_LINK}`);
    // It signs nobody in: operators still see the body (with the link hidden).
    expect(record!.sensitive).toBe(false);
    const stored = JSON.stringify([
      record,
      await db().select().from(outboxEvents).where(eq(outboxEvents.id, record!.id)),
    ]);
    expect(stored).not.toContain(url.split("/").at(-1)!);
  });

  it("GET only asks; POST pauses that alert alone, once, audited, and it sends nothing more", async () => {
    const { orgId, owner, first, second, token } = await mailedDigests();
    const page = await call(token, "GET");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('<form method="post">');
    expect(html).toContain("Harbour dredging");
    expect((await db().select().from(alerts).where(eq(alerts.id, first.id)))[0]!.active).toBe(true);

    for (let i = 0; i < 2; i++) {
      const res = await call(token, "POST");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ alert_ids: [first.id], status: "unsubscribed" });
    }
    const [row] = await db().select().from(alerts).where(eq(alerts.id, first.id));
    expect(row).toMatchObject({ active: false, pausedReason: "unsubscribed" });
    expect(toApiAlert(row!).paused_reason).toBe("unsubscribed");
    expect((await db().select().from(alerts).where(eq(alerts.id, second.id)))[0]).toMatchObject({
      active: true,
      pausedReason: null,
    });
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "alert.unsubscribed")));
    expect(audit.map((a) => [a.targetId, a.actorEmail])).toEqual([[first.id, first.deliveryEmail]]);

    // A browser's button press gets a page; the alert stays as it is.
    const again = await call(token, "POST", { accept: "text/html" });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Unsubscribed");

    // The next day's digests: only the alert still subscribed is mailed.
    smtp.received.length = 0;
    await insertOpportunity({ createdAt: new Date(epoch + DAY + 10 * 60_000), title: "More dredging" });
    await runDueDigests(systemContextOf("digest-fanout", new Date(epoch + 2 * DAY + 20 * 60_000)));
    expect(smtp.received.flatMap((m) => m.to)).toEqual([second.deliveryEmail]);

    // A member resumes it: the reason goes with the pause.
    const resumed = await updateAlert(contextOf(orgId, owner), first.id, { active: true });
    expect(resumed).toMatchObject({ active: true, pausedReason: null });
  });

  it("a daily summary's header token pauses every alert it carries, and only those", async () => {
    const { orgId, first, second } = await mailedDigests();
    const { owner } = await makeOrg("enterprise");
    const url = unsubscribeUrl(orgId, [first.id, second.id], "https://beacon.example");
    const token = url.split("/").at(-1)!;
    const page = await call(token, "GET");
    expect(await page.text()).toContain("the alerts “Harbour dredging”, “Other dredging”");
    const res = await call(token, "POST");
    expect(await res.json()).toEqual({ alert_ids: [first.id, second.id], status: "unsubscribed" });
    const rows = await db().select().from(alerts).where(eq(alerts.orgId, orgId));
    expect(rows.map((r) => [r.active, r.pausedReason])).toEqual([
      [false, "unsubscribed"],
      [false, "unsubscribed"],
    ]);
    // The same ids under another org's id are not the token that was minted.
    const [, , ids, mac] = token.split(".");
    expect((await call(`u1.${owner.userId}.${ids}.${mac}`, "POST")).status).toBe(404);
  });

  it("forged, tampered or borrowed tokens answer Problem+JSON 404 and change nothing", async () => {
    const { orgId, first, second, token } = await mailedDigests();
    const mac = token.split(".").at(-1)!;
    const forged = [
      "nonsense",
      `u1.${orgId}.${first.id}.${"A".repeat(mac.length)}`,
      `u1.${orgId}.${first.id}.${mac.slice(0, -2)}`,
      // The first alert's MAC on the second alert's id.
      `u1.${orgId}.${second.id}.${mac}`,
      `u1.${crypto.randomUUID()}.${first.id}.${mac}`,
      `${token}.extra`,
    ];
    for (const bad of forged)
      for (const method of ["GET", "POST"] as const) {
        const res = await call(bad, method);
        expect(res.status).toBe(404);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
    const rows = await db().select().from(alerts).where(eq(alerts.orgId, orgId));
    expect(rows.map((r) => [r.active, r.pausedReason])).toEqual([
      [true, null],
      [true, null],
    ]);
  });
});
