// One-click unsubscribe from "what changed" e-mails: the e-mail as the SMTP server receives it
// carries RFC 8058 headers and a visible link; the link's route switches the person's setting off
// on POST, never on GET, and refuses forged tokens without changing anything; Settings → Account's
// setting turns them back on.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import * as unsubscribeRoute from "@/app/api/unsubscribe/changes/[token]/route";
import { db } from "@/db/client";
import { emailMessages, outboxEvents, users } from "@/db/schema";
import { makeOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { upsertOpportunities } from "@/lib/opportunities";
import { HIDDEN_LINK } from "@/lib/outbox";
import { startSmtpSink } from "@/tests/support/servers";
import {
  changeEmailsEnabled,
  changeUnsubscribeToken,
  runChangeNotices,
  setChangeEmails,
  trackNotice,
} from "@/lib/pipeline";
import { fromApi, runway, runwayAmended, runwayAward } from "@/tests/fixtures/amended-notices";
import { describeEachDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import { callRoute } from "@/tests/route-helpers";

const HOUR = 3_600_000;
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
    path: `/api/unsubscribe/changes/${encodeURIComponent(token)}`,
    method,
    params: { token },
    ...(method === "POST"
      ? {
          raw: "List-Unsubscribe=One-Click",
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        }
      : { headers }),
  });

describeEachDatabase("one-click unsubscribe from what changed e-mails", () => {
  // Each database gets its own hours, far from the real clock (the sweep reads the clock it is given).
  let epoch = Date.parse("2034-03-01T00:00:00Z");
  beforeEach(() => {
    epoch += 30 * 24 * HOUR;
    smtp.received.length = 0;
  });

  /** A Starter org tracking the runway notice; `change(n)` ingests the nth later version, in hour n. */
  async function trackedRunway() {
    const hour = (n: number, minutes = 0) => new Date(epoch + n * HOUR + minutes * 60_000);
    await upsertOpportunities([fromApi(runway)], hour(0, 5));
    const org = await makeOrg("starter", "Runway Co");
    await trackNotice(contextOf(org.orgId, org.owner, hour(0, 10)), { notice_id: runway.noticeId as string });
    const versions = [runwayAmended, runwayAward, { ...runwayAward, active: "No" }];
    const change = async (n: 1 | 2 | 3) => {
      await upsertOpportunities([fromApi(versions[n - 1]!)], hour(n, 20));
      return runChangeNotices(systemContextOf("change-notices", hour(n + 1, 6)));
    };
    return { ...org, change };
  }

  it("the delivered e-mail carries List-Unsubscribe (one-click) and a visible link; neither record nor outbox row holds it", async () => {
    const { ownerEmail, change } = await trackedRunway();
    await change(1);
    const [message, ...more] = smtp.received.filter((m) => m.to.includes(ownerEmail));
    expect(more).toEqual([]);
    const headers = headersOf(message!.raw);
    expect(headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const url = /^<(https:\/\/beacon\.example\/api\/unsubscribe\/changes\/[^>]+)>$/.exec(
      headers.get("list-unsubscribe") ?? "",
    )?.[1];
    expect(url).toBeDefined();
    const token = decodeURIComponent(url!.split("/").at(-1)!);
    const body = message!.raw.replace(/=\r?\n/g, "");
    expect(body).toContain("Response deadline moved from Feb 3, 2025 to Feb 17, 2025");
    expect(body).toContain(`Stop "what changed" e-mails: ${url}`);

    const [record, ...others] = await db().select().from(emailMessages).where(eq(emailMessages.toAddress, ownerEmail));
    expect(others).toEqual([]);
    expect(record).toMatchObject({ kind: "notice_changes", sensitive: false });
    expect(record!.textBody).toContain(`Stop "what changed" e-mails: ${HIDDEN_LINK}`);
    const stored = JSON.stringify([
      record,
      await db().select().from(outboxEvents).where(eq(outboxEvents.id, record!.id)),
    ]);
    expect(stored).not.toContain(token.split(".").at(-1)!);
  });

  it("GET only asks; POST turns the person's e-mails off, once; the setting turns them back on", async () => {
    // Other tests' orgs in this database track the same notice: only this owner's inbox counts.
    const { owner, ownerEmail, change } = await trackedRunway();
    const mailedHere = () => smtp.received.filter((m) => m.to.includes(ownerEmail));
    await change(1);
    expect(mailedHere()).toHaveLength(1);
    const token = changeUnsubscribeToken(owner.userId);
    const page = await call(token, "GET");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('<form method="post">');
    expect(await changeEmailsEnabled(owner.userId)).toBe(true);

    for (let i = 0; i < 2; i++) {
      const res = await call(token, "POST");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "unsubscribed", change_emails: false });
    }
    expect(await changeEmailsEnabled(owner.userId)).toBe(false);
    const again = await call(token, "POST", { accept: "text/html" });
    expect(await again.text()).toContain("Unsubscribed");
    expect(await (await call(token, "GET")).text()).toContain("Already unsubscribed");

    // The award comes in: nothing is mailed to someone who unsubscribed.
    smtp.received.length = 0;
    await change(2);
    expect(mailedHere()).toEqual([]);

    // Back on at Settings → Account: the next change is mailed.
    await setChangeEmails(owner.userId, true);
    // Back on within the sweep's look-back day, the hour it skipped is caught up like a missed run's.
    await change(3);
    expect(mailedHere().map((m) => /Subject: (.*)/.exec(m.raw)?.[1])).toEqual([
      "Changed: Runway Rubber Removal",
      "Changed: Runway Rubber Removal",
    ]);
  });

  it("forged, tampered or borrowed tokens answer Problem+JSON 404 and change nothing", async () => {
    const { owner } = await trackedRunway();
    const other = await makeOrg("starter", "Other Co");
    const token = changeUnsubscribeToken(owner.userId);
    const mac = token.split(".").at(-1)!;
    const forged = [
      "nonsense",
      `c1.${owner.userId}.${"A".repeat(mac.length)}`,
      `c1.${owner.userId}.${mac.slice(0, -2)}`,
      // The owner's MAC on another user's id.
      `c1.${other.owner.userId}.${mac}`,
      `u1.${owner.userId}.${mac}`,
      `${token}.extra`,
    ];
    for (const bad of forged)
      for (const method of ["GET", "POST"] as const) {
        const res = await call(bad, method);
        expect(res.status).toBe(404);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
    const rows = await db().select({ on: users.changeEmails }).from(users).where(eq(users.id, other.owner.userId));
    expect(rows).toEqual([{ on: true }]);
    expect(await changeEmailsEnabled(owner.userId)).toBe(true);
  });
});
