import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";

// The member's own choice (Settings → Account → Alert e-mails), across every org they belong
// to: their daily alerts to one address arrive as one summary instead of one e-mail each.

export async function dailySummaryEnabled(userId: string): Promise<boolean> {
  const [row] = await db().select({ on: users.dailyAlertSummary }).from(users).where(eq(users.id, userId));
  return row?.on ?? false;
}

export async function setDailySummary(userId: string, on: boolean): Promise<void> {
  await db().update(users).set({ dailyAlertSummary: on }).where(eq(users.id, userId));
}
