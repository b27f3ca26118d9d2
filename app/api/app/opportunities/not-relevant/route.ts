import { memberAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { listNotRelevant } from "@/lib/relevance";

export const dynamic = "force-dynamic";

/** The notices the org marked not relevant, newest mark first: what a team can take back. */
export const GET = route(async ({ auth }) => ({ body: { data: await listNotRelevant(auth.orgId, auth.actor) } }), {
  authenticate: memberAuth,
});
