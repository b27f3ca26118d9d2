// Issue 14 §2: no instant alert is lost. Notices ingested from a file through the CLI while
// Inngest is unreachable still reach every matching instant alert, exactly once: the event waits
// in the outbox, and the instant-alerts sweep covers everything since each alert's cursor. The
// same holds while the `instant_alerts` flag is off.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { alertDigests, emailMessages, outboxEvents } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createAlert } from "@/lib/alerts";
import { makeOrg, contextOf, operatorContextOf } from "@/tests/support/factories";
import { setFlag } from "@/lib/flags";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { executeRequest } from "@/tests/support/inngest-engine";
import { BUNDLED_OPPORTUNITIES_FILE, OPPORTUNITIES_INGESTED } from "@/lib/opportunities";
import { deliverDueOutbox } from "@/lib/outbox";
import { runCommand } from "@/scripts/cli-commands";
import { describeEachDatabase } from "@/tests/db";
import { INSTANT_ALERTS_SWEEP_CRON, instantAlerts } from "./instant-alerts";

const HOUR = 3_600_000;
const inngestApi = fakeInngestForFile();
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "instant-alerts-"));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const reachInngest = () => inngestApi.pointClientAt();
/** Nothing listens on port 9 (discard): every send is refused, as when Inngest is down. */
const loseInngest = () => inngestApi.pointClientAt("http://127.0.0.1:9/");

/** A JSON file of `count` notices in the bundled extract's shape, each titled with `word`. */
function noticesFile(word: string, count: number) {
  const template = (JSON.parse(fs.readFileSync(BUNDLED_OPPORTUNITIES_FILE, "utf8")) as Record<string, unknown>[])[0]!;
  const rows = Array.from({ length: count }, (_, i) => ({
    ...template,
    NoticeId: randomUUID().replaceAll("-", ""),
    Title: `${word} services, lot ${i + 1}`,
  }));
  const file = path.join(dir, `${word}.json`);
  fs.writeFileSync(file, JSON.stringify(rows));
  return { file, noticeIds: rows.map((r) => r.NoticeId) };
}

async function mailsTo(address: string) {
  return db()
    .select()
    .from(emailMessages)
    .where(and(eq(emailMessages.toAddress, address), eq(emailMessages.kind, "alert_digest")));
}

const sweep = (runId = `run-${randomUUID()}`) =>
  executeRequest(
    instantAlerts,
    { name: "inngest/scheduled.timer", data: { cron: INSTANT_ALERTS_SWEEP_CRON }, id: `cron-${randomUUID()}` },
    { runId },
  );

describeEachDatabase("instant alerts catch up", ({ handle }) => {
  const cli = (flags: Record<string, string>) =>
    runCommand("opportunities:ingest", flags, { database: handle, migrateDatabase, seedDatabase });

  async function instantAlert(word: string) {
    const { orgId, owner } = await makeOrg("enterprise");
    return createAlert(contextOf(orgId, owner), {
      name: `${word} watch`,
      frequency: "instant",
      q: word,
      delivery_email: `${randomUUID()}@instant.test`,
    });
  }

  it("Inngest unreachable during a CLI file ingestion: the event waits in the outbox, and every matching instant alert is still mailed once", async () => {
    const word = `bathymetry${randomUUID().slice(0, 6)}`;
    const [first, second] = [await instantAlert(word), await instantAlert(word)];
    const other = await instantAlert(`unrelated${randomUUID().slice(0, 6)}`);
    const { file, noticeIds } = noticesFile(word, 3);

    loseInngest();
    try {
      expect(await cli({ file })).toEqual({ inserted: 3, updated: 0, skipped: 0 });
    } finally {
      reachInngest();
    }
    // The event was written with the notices and could not be sent: it waits, with the reason.
    const [event] = await db()
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.kind, "event"), sql`${outboxEvents.payload}->>'name' = ${OPPORTUNITIES_INGESTED}`))
      .orderBy(sql`${outboxEvents.createdAt} desc`)
      .limit(1);
    expect(event).toMatchObject({
      status: "pending",
      destination: "inngest",
      attempts: 1,
      lastError: expect.any(String),
    });
    expect(event!.payload).toMatchObject({ data: { source: "file", inserted: 3, updated: 0 } });

    // The sweep needs no event: each matching alert gets one digest of all three notices.
    const swept = await sweep();
    expect(swept.error).toBeUndefined();
    expect(swept.result).toMatchObject({ alerts: 2, digests: 2, emails: 2 });
    for (const alert of [first, second]) {
      expect(await mailsTo(alert.deliveryEmail)).toHaveLength(1);
      const digests = await db().select().from(alertDigests).where(eq(alertDigests.alertId, alert.id));
      expect(digests.map((d) => d.noticeIds.sort())).toEqual([[...noticeIds].sort()]);
    }
    expect(await mailsTo(other.deliveryEmail)).toHaveLength(0);

    // Inngest is back: the outbox delivers the event, and the run it starts sends nothing twice.
    const sentBefore = inngestApi.events.length;
    await deliverDueOutbox({ now: new Date(Date.now() + 2 * HOUR) });
    const delivered = inngestApi.events.slice(sentBefore).filter((e) => e.id === (event!.payload as { id: string }).id);
    expect(delivered).toHaveLength(1);
    expect((await db().select().from(outboxEvents).where(eq(outboxEvents.id, event!.id)))[0]!.status).toBe("delivered");
    const late = await executeRequest(
      instantAlerts,
      { name: delivered[0]!.name, id: delivered[0]!.id!, data: delivered[0]!.data ?? {} },
      { runId: `run-${randomUUID()}` },
    );
    expect(late.error).toBeUndefined();
    expect(late.result).toMatchObject({ digests: 0, emails: 0 });
    for (const alert of [first, second]) expect(await mailsTo(alert.deliveryEmail)).toHaveLength(1);
  });

  it("with the instant_alerts flag off nothing is sent and no cursor moves; once it is back on, the next run sends what was held, once", async () => {
    const word = `hydrology${randomUUID().slice(0, 6)}`;
    const alert = await instantAlert(word);
    const operator = operatorContextOf({ email: "ops@instant.test" });
    await setFlag(operator, "instant_alerts", { enabled: false });
    try {
      const { file } = noticesFile(word, 2);
      expect(await cli({ file })).toMatchObject({ inserted: 2 });
      const off = await sweep();
      expect(off.result).toMatchObject({ skipped: expect.stringContaining("instant_alerts flag is off") });
      expect(await mailsTo(alert.deliveryEmail)).toHaveLength(0);
    } finally {
      await setFlag(operator, "instant_alerts", { enabled: true });
    }
    expect((await sweep()).result).toMatchObject({ alerts: 1, digests: 1, emails: 1 });
    expect((await sweep()).result).toMatchObject({ digests: 0, emails: 0 });
    expect(await mailsTo(alert.deliveryEmail)).toHaveLength(1);
    const digests = await db().select().from(alertDigests).where(eq(alertDigests.alertId, alert.id));
    expect(digests.map((d) => d.matchCount)).toEqual([2]);
  });
});
