import { memberAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { calendarFeedStatus, createCalendarFeed, revokeCalendarFeed } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

/** Whether the signed-in user has a calendar feed (never its URL: only its hash is kept). */
export const GET = route(async ({ auth }) => ({ body: await calendarFeedStatus(auth.viewer.user.id) }), {
  authenticate: memberAuth,
});

/** A new secret feed URL, shown once; any previous URL of this user stops working. Needs a plan with the pipeline. */
export const POST = route(
  async ({ auth }) => ({ status: 201, body: await createCalendarFeed(auth.orgId, auth.actor) }),
  { authenticate: memberAuth },
);

export const DELETE = route(
  async ({ auth }) => {
    await revokeCalendarFeed(auth.viewer.user.id);
    return { status: 204, body: null };
  },
  { authenticate: memberAuth },
);
