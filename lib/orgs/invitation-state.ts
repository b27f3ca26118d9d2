import { and, gt, isNull } from "drizzle-orm";
import { invitations } from "@/db/schema";

/** Neither accepted nor revoked: the invitation can still be accepted or replaced. */
export function unusedInvitation() {
  return and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
}

/** Unused and not yet expired at `now`: it holds a seat and its link works. */
export function openInvitationAt(now: Date) {
  return and(unusedInvitation(), gt(invitations.expiresAt, now));
}
