import { route } from "@/lib/http";
import { calendarFeedIcs } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

/**
 * A user's calendar feed (`/api/calendar/bcal_….ics`): the secret in the URL is the credential,
 * because calendar apps cannot sign in. Unknown or revoked → 404 Problem+JSON.
 */
export const GET = route(async ({ params }) => {
  const feed = String(params.feed ?? "");
  const token = feed.endsWith(".ics") ? feed.slice(0, -4) : "";
  const ics = await calendarFeedIcs(token);
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'inline; filename="beacon-deadlines.ics"',
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
  });
});
