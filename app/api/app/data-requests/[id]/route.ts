import { memberAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { getOwnDataRequest } from "@/lib/retention";

export const dynamic = "force-dynamic";

export const GET = route(
  async ({ auth, params }) => ({ body: await getOwnDataRequest(auth.orgId, auth.actor, String(params.id ?? "")) }),
  { authenticate: memberAuth },
);
