import { memberAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { markNotRelevant, unmarkNotRelevant } from "@/lib/relevance";

export const dynamic = "force-dynamic";

/** Mark the notice not relevant for the org: 201 when new, 200 when it already was. */
export const POST = route(
  async ({ auth, params }) => {
    const { mark, created } = await markNotRelevant(auth.orgId, auth.actor, String(params.noticeId));
    return { status: created ? 201 : 200, body: mark };
  },
  { authenticate: memberAuth },
);

/** Take the mark back: the notice is a match again. */
export const DELETE = route(
  async ({ auth, params }) => {
    await unmarkNotRelevant(auth.orgId, auth.actor, String(params.noticeId));
    return { status: 204, body: null };
  },
  { authenticate: memberAuth },
);
