import { eq, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { ingestionCursors } from "@/db/schema";
import { deliverOutboxNow } from "@/lib/outbox";
import { SNAPSHOT_DATE } from "../snapshot";
import { announceIngested, lockIngestion } from "./announce";
import { demoAmendmentsBetween } from "./demo-amendments";
import { bundledOpportunitiesPath, readOpportunitiesJson } from "./file-import";
import type { NewOpportunity } from "./normalize";
import { upsertOpportunities } from "./upsert";

/** The ingestion cursor of the replayed snapshot: `next_offset` notices (in posting order) are out. */
export const SNAPSHOT_SOURCE = "sam_snapshot";
/** How many of the snapshot's notices a fresh database starts with; the rest are replayed. */
export const SNAPSHOT_SEEDED = 600;
/** Notices released per ingestion run without SAM_API_KEY (the remaining 301 take eleven runs). */
export const SNAPSHOT_BATCH = 30;

export interface SnapshotRelease {
  inserted: number;
  updated: number;
  /** Later versions of notices released earlier (demo-amendments.ts) stored with this batch. */
  amended: number;
  /** Snapshot notices released so far, this batch included. */
  released: number;
  remaining: number;
  /** The instant the batch was stored: its notices' created_at (the `opportunities/ingested` window). */
  at: string;
}

let cached: Promise<NewOpportunity[]> | undefined;

/** The snapshot's notices in the order SAM.gov posted them (ties by notice id, so the order is total). */
export function snapshotNotices(): Promise<NewOpportunity[]> {
  cached ??= readOpportunitiesJson(bundledOpportunitiesPath()).then(({ rows }) =>
    rows.sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.noticeId.localeCompare(b.noticeId)),
  );
  cached.catch(() => (cached = undefined));
  return cached;
}

/**
 * Releases the next `size` notices of the bundled snapshot through the ordinary upsert, as if
 * SAM.gov had just published them, so alerts see notices nobody has seen yet. The cursor row is
 * locked and advanced in the same transaction as the rows, so concurrent or repeated calls never
 * release a notice twice, and a restart resumes where the last call stopped. The batch announces
 * itself with `opportunities/ingested`, written in the same transaction. A batch also stores the
 * demo amendments due by its end (demo-amendments.ts), after its own notices and through the same
 * upsert, so change tracking records them as it would SAM.gov's. Null once the snapshot is exhausted.
 */
export async function releaseSnapshotBatch(
  options: { size?: number; now?: Date; db?: DbOrTx } = {},
): Promise<SnapshotRelease | null> {
  const notices = await snapshotNotices();
  const released = await (options.db ?? db()).transaction(async (tx) => {
    const at = await lockIngestion(tx, options.now);
    await tx
      .insert(ingestionCursors)
      .values({
        source: SNAPSHOT_SOURCE,
        postedFrom: SNAPSHOT_DATE,
        postedTo: SNAPSHOT_DATE,
        nextOffset: 0,
        updatedAt: at,
      })
      .onConflictDoNothing();
    const [cursor] = await tx
      .select()
      .from(ingestionCursors)
      .where(eq(ingestionCursors.source, SNAPSHOT_SOURCE))
      .for("update");
    const offset = cursor?.nextOffset ?? 0;
    const batch = notices.slice(offset, offset + (options.size ?? SNAPSHOT_BATCH));
    if (batch.length === 0) return null;
    const written = await upsertOpportunities(batch, at, tx);
    const released = offset + batch.length;
    const amendments = demoAmendmentsBetween(notices.slice(0, released), offset, released);
    const amended = await upsertOpportunities(amendments, at, tx);
    await tx
      .update(ingestionCursors)
      .set({ nextOffset: released, lastSuccessAt: at, lastError: null, updatedAt: sql`now()` })
      .where(eq(ingestionCursors.source, SNAPSHOT_SOURCE));
    const eventId = await announceIngested(tx, {
      inserted: written.inserted + amended.inserted,
      updated: written.updated + amended.updated,
      source: SNAPSHOT_SOURCE,
      at,
      key: `${released}-${at.getTime()}`,
    });
    return {
      ...written,
      amended: amendments.length,
      released,
      remaining: notices.length - released,
      at: at.toISOString(),
      eventId,
    };
  });
  if (!released) return null;
  const { eventId, ...release } = released;
  if (eventId && !options.db) await deliverOutboxNow([eventId]);
  return release;
}
