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
