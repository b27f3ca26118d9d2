import { memberAuth } from "@/lib/auth";
import { sendTestPost } from "@/lib/channels";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Sends a test post through the outbox at once and answers how it went. */
export const POST = route(
  async ({ auth, params }) => ({ body: await sendTestPost(auth.orgId, auth.actor, String(params.id)) }),
  { authenticate: memberAuth },
);
