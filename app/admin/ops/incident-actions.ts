"use server";

import { closeBreakGlass, openBreakGlass, setFeatureFlag } from "@/lib/ops/commands";
import { findBreakGlassByToken } from "@/lib/ops";
import { clearBreakGlassCookie, readBreakGlassCookie, setBreakGlassCookie } from "./break-glass-cookie";
import { commandAction } from "./command-action";

/** Turns a flag on or off; the banner in the cockpit layout changes with incident_mode. */
export const setFlagAction = commandAction(setFeatureFlag, { revalidate: ["/admin", "layout"], done: "Saved." });

/** Starts break-glass for the signed-in ops_admin and keeps the token in the /admin cookie only. */
export const startBreakGlassAction = commandAction(openBreakGlass, {
  revalidate: ["/admin", "layout"],
  after: (session) => setBreakGlassCookie(session.token, session.expiresAt),
  done: "Break-glass started.",
});

/** Ends a break-glass session and forgets this browser's token if it was that session's. */
export const endBreakGlassAction = commandAction(closeBreakGlass, {
  revalidate: ["/admin", "layout"],
  after: async (ended) => {
    const mine = await readBreakGlassCookie();
    if (mine && (await findBreakGlassByToken(mine))?.id === ended.id) await clearBreakGlassCookie();
  },
  done: "Break-glass ended.",
});
