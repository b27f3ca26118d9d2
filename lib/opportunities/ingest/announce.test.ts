import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { opportunities, outboxEvents } from "@/db/schema";
import { deliverDueOutbox, eventSender, registerEventSender } from "@/lib/outbox";
import { describeEachDatabase } from "@/tests/db";
import { BUNDLED_OPPORTUNITIES_FILE } from "../snapshot";
import { OPPORTUNITIES_INGESTED, storeIngestedBatch } from "./announce";
import { ingestedThrough } from "./ingested-notices";
import { normalizeCsvRecord, type NewOpportunity } from "./normalize";

const template = (JSON.parse(fs.readFileSync(BUNDLED_OPPORTUNITIES_FILE, "utf8")) as Record<string, unknown>[])[0]!;
function notices(count: number): NewOpportunity[] {
  return Array.from({ length: count }, () => {
    const result = normalizeCsvRecord({ ...template, NoticeId: randomUUID().replaceAll("-", "") });
    if (!result.ok) throw new Error("the template no longer normalises");
    return result.opportunity;
  });
}

const ingestedRows = (source: string) =>
  db()
    .select()
    .from(outboxEvents)
    .where(
      and(
        eq(outboxEvents.kind, "event"),
        sql`${outboxEvents.payload}->>'name' = ${OPPORTUNITIES_INGESTED}`,
        sql`${outboxEvents.payload}->'data'->>'source' = ${source}`,
      ),
    );

describeEachDatabase("storeIngestedBatch", () => {
  it("stores the notices and their opportunities/ingested event together; a rolled-back batch leaves neither", async () => {
    const source = `test-${randomUUID().slice(0, 8)}`;
    const batch = notices(3);
    await expect(
      db().transaction(async (tx) => {
        await storeIngestedBatch(tx, batch, { source });
        throw new Error("the caller's transaction fails after the batch");
      }),
    ).rejects.toThrow("fails after the batch");
    const ids = batch.map((n) => n.noticeId);
    expect(await db().select().from(opportunities).where(inArray(opportunities.noticeId, ids))).toEqual([]);
    expect(await ingestedRows(source)).toEqual([]);

    expect(await storeIngestedBatch(db(), batch, { source })).toEqual({ inserted: 3, updated: 0 });
    const [event] = await ingestedRows(source);
    const [stored] = await db().select().from(opportunities).where(eq(opportunities.noticeId, ids[0]!));
    expect(event!.payload).toMatchObject({
      name: OPPORTUNITIES_INGESTED,
      data: { source, inserted: 3, updated: 0, since: stored!.createdAt.toISOString() },
    });
    // Nothing new the second time: no event.
    expect(await storeIngestedBatch(db(), batch, { source })).toEqual({ inserted: 0, updated: 3 });
    expect(await ingestedRows(source)).toHaveLength(1);
  });

  it("never stamps a notice behind one already stored, whatever this process's clock says", async () => {
    const ahead = new Date(Date.now() + 10 * 60_000);
    await storeIngestedBatch(db(), notices(1), { source: "clock-ahead", now: ahead });
    await storeIngestedBatch(db(), notices(2), { source: "clock-now" });
    const [event] = await ingestedRows("clock-now");
    const stamped = new Date((event!.payload as { data: { since: string } }).data.since);
    expect(stamped.getTime()).toBeGreaterThan(ahead.getTime());
    expect(await ingestedThrough()).toEqual(stamped);
  });

  it("a process without an event sender leaves the event unattempted for one that has it", async () => {
    const registered = eventSender();
    registerEventSender(undefined);
    const source = `no-sender-${randomUUID().slice(0, 8)}`;
    try {
      await storeIngestedBatch(db(), notices(1), { source });
      expect(await ingestedRows(source)).toEqual([expect.objectContaining({ status: "pending", attempts: 0 })]);
      await deliverDueOutbox({ now: new Date(Date.now() + 60_000), limit: 1_000 });
      expect(await ingestedRows(source)).toEqual([expect.objectContaining({ status: "pending", attempts: 0 })]);

      const sent: { name: string; id: string }[] = [];
      registerEventSender(async (events) => void sent.push(...events));
      await deliverDueOutbox({ now: new Date(Date.now() + 60_000), limit: 1_000 });
      const [row] = await ingestedRows(source);
      expect(row).toMatchObject({ status: "delivered", attempts: 1 });
      expect(sent.filter((e) => e.id === (row!.payload as { id: string }).id)).toHaveLength(1);
    } finally {
      registerEventSender(registered);
    }
  });
});
