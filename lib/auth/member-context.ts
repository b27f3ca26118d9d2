import { memberActor, orgContext, type ContextOptions, type MemberActor, type OrgContext } from "@/lib/context";
import type { Viewer } from "./principal";

export type MemberViewer = Viewer & { org: NonNullable<Viewer["org"]> };

/**
 * A signed-in member's service context in the org they are viewing: what pages, server actions
 * and session endpoints pass to lib, built here only.
 */
export function memberContext(viewer: MemberViewer, options: ContextOptions = {}): OrgContext<MemberActor> {
  return orgContext(viewer.org.id, memberActor(viewer.user.id, viewer.org.role), options);
}
