import { desc, eq, sql } from "drizzle-orm";
import { withSystem } from "@/db/tenant";
import { emailMessages } from "@/db/schema";

/** The most recent message to an address, optionally of one kind. */
export async function latestEmailTo(address: string, kind?: string) {
  const rows = await withSystem("ops-cockpit", (tx) =>
    tx
      .select()
      .from(emailMessages)
      .where(
        kind
          ? sql`lower(${emailMessages.toAddress}) = ${address.toLowerCase()} and ${emailMessages.kind} = ${kind}`
          : eq(sql`lower(${emailMessages.toAddress})`, address.toLowerCase()),
      )
      .orderBy(desc(emailMessages.createdAt))
      .limit(1),
  );
  return rows[0] ?? null;
}

/** Newest first, optionally for one recipient; bounded so the page stays fast. */
export async function listRecentEmails(options: { to?: string; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const to = options.to?.trim().toLowerCase();
  return withSystem("ops-cockpit", (tx) =>
    tx
      .select()
      .from(emailMessages)
      .where(to ? eq(sql`lower(${emailMessages.toAddress})`, to) : undefined)
      .orderBy(desc(emailMessages.createdAt))
      .limit(limit),
  );
}
