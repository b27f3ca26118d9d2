import { desc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { emailMessages } from "@/db/schema";

/** The most recent message to an address (operators' view, CLI and tests follow links with it). */
export async function latestEmailTo(address: string, kind?: string) {
  const rows = await db()
    .select()
    .from(emailMessages)
    .where(kind ? sql`lower(${emailMessages.toAddress}) = lower(${address}) and ${emailMessages.kind} = ${kind}` : eq(sql`lower(${emailMessages.toAddress})`, address.toLowerCase()))
    .orderBy(desc(emailMessages.createdAt))
    .limit(1);
  return rows[0] ?? null;
}
