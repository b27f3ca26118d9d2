import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { memberships, organizations, users } from "@/db/schema";
import { appUrl } from "@/lib/env";
import { enqueueOutbox } from "@/lib/outbox";

/** Where an owner downloads a finished export (signed in, owner-only): the e-mail links here, never to the file. */
export const DATA_SETTINGS_PATH = "/settings/data";

/**
 * Queues "your export is ready" in the caller's transaction (the one that completes the
 * request), so the mail goes out exactly when the bundle is there. It goes to the owner who asked;
 * when an operator or the system asked (or that owner left), to every owner. The link opens the
 * Data settings page, which checks the session: the e-mail itself carries no credential.
 */
export async function enqueueExportReadyEmail(
  tx: Tx,
  input: { orgId: string; requestId: string; requesterUserId: string | null },
): Promise<string[]> {
  const [org] = await tx
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, input.orgId));
  const owners = await tx
    .select({ id: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, input.orgId), eq(memberships.role, "owner")));
  const requester = owners.filter((o) => o.id === input.requesterUserId);
  const recipients = requester.length > 0 ? requester : owners;
  const link = `${appUrl()}${DATA_SETTINGS_PATH}`;
  const ids: string[] = [];
  for (const owner of recipients) {
    const queued = await enqueueOutbox(tx, {
      kind: "email",
      orgId: input.orgId,
      dedupeKey: `data-export-ready:${input.requestId}:${owner.id}`,
      payload: {
        kind: "data_export_ready",
        to: owner.email,
        subject: `Your data export for ${org?.name ?? "your organisation"} is ready`,
        text: `The export of ${org?.name ?? "your organisation"}'s data on Beacon is ready.\n\nDownload it from Settings → Data (you will be asked to sign in): ${link}\n\nOnly owners can download it.`,
      },
    });
    ids.push(queued.id);
  }
  return ids;
}
