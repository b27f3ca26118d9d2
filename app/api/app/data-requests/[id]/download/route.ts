import { memberAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { ownExportBundle } from "@/lib/retention";

export const dynamic = "force-dynamic";

/** The stored export bundle as a JSON attachment: owners of the org only, never cached. */
export const GET = route(
  async ({ auth, params }) => {
    const { filename, json } = await ownExportBundle(auth.orgId, auth.actor, String(params.id ?? ""));
    return new Response(json, {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
  { authenticate: memberAuth },
);
