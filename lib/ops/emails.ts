import { desc, eq, sql } from "drizzle-orm";
import { emailMessages } from "@/db/schema";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { cockpitContext } from "./cockpit-context";

/** The cockpit's e-mails, newest first, optionally for one recipient; bounded so the page stays fast. */
export async function listRecentEmails(
  ctx: ServiceContext<OperatorActor>,
  options: { to?: string; limit?: number } = {},
) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const to = options.to?.trim().toLowerCase();
  return cockpitContext(ctx).transaction((tx) =>
    tx
      .select()
      .from(emailMessages)
      .where(to ? eq(sql`lower(${emailMessages.toAddress})`, to) : undefined)
      .orderBy(desc(emailMessages.createdAt))
      .limit(limit),
  );
}
